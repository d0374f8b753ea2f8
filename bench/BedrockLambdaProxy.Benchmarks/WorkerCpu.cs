using System.Globalization;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// CPU time of a process in nanoseconds: the sum over its threads of the first field of
/// /proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat (time on a CPU). Unlike /proc/&lt;pid&gt;/stat's 10 ms ticks this
/// resolves the 1-3 ms one warm request costs. Threads that ended since are missing from the sum, so measure a
/// worker whose threads live (the bootstrap's pool threads do).
/// </summary>
internal static class WorkerCpu
{
    public static double Milliseconds(int pid)
    {
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                total += long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended between listing and reading.
            }
        }

        return total / 1e6;
    }
}
