using System.Globalization;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>CPU time of another process, as the kernel counts it.</summary>
internal static class ProcessCpu
{
    /// <summary>utime + stime of a process in milliseconds (fields 14 and 15 of /proc/&lt;pid&gt;/stat, in 1/100 s).</summary>
    public static double Milliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }
}
