using System.Globalization;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// A cgroup whose CFS quota gives its processes a fraction of one CPU, as Lambda gives a function CPU in proportion to
/// its memory (one vCPU at 1,769 MB). cgroup v1 (<c>/sys/fs/cgroup/cpu</c>: cpu.cfs_period_us, cpu.cfs_quota_us) or
/// v2 (<c>cpu.max</c>). A worker joins it by writing its own pid to <see cref="ProcsFile"/> before it execs the
/// bootstrap (<see cref="WriteWrapper"/>), so it never runs a moment outside the quota.
/// </summary>
internal sealed class CpuQuotaGroup : IDisposable
{
    private const string V1Root = "/sys/fs/cgroup/cpu";
    private static readonly string[] V2Roots = ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"];

    private CpuQuotaGroup(string directory) => Location = directory;

    /// <summary>The group's directory.</summary>
    public string Location { get; }

    /// <summary>Where a process writes its pid to join.</summary>
    public string ProcsFile => Path.Combine(Location, "cgroup.procs");

    /// <summary>
    /// Creates (or reuses) the group <paramref name="name"/> limited to <paramref name="share"/> of one CPU per
    /// <paramref name="periodUs"/>; null with the reason when cgroups cannot be written here (not root, no cpu
    /// controller, a read-only mount).
    /// </summary>
    public static CpuQuotaGroup? TryCreate(string name, double share, int periodUs, out string? reason)
    {
        var quotaUs = Math.Max(1000, (long)Math.Round(share * periodUs));
        var errors = new List<string>();
        if (File.Exists(Path.Combine(V1Root, "cpu.cfs_quota_us")))
        {
            var directory = Path.Combine(V1Root, name);
            try
            {
                Directory.CreateDirectory(directory);
                // The quota first to -1 so a shorter period is never refused against an old, larger quota.
                File.WriteAllText(Path.Combine(directory, "cpu.cfs_quota_us"), "-1");
                File.WriteAllText(Path.Combine(directory, "cpu.cfs_period_us"), periodUs.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(directory, "cpu.cfs_quota_us"), quotaUs.ToString(CultureInfo.InvariantCulture));
                reason = null;
                return new CpuQuotaGroup(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"cgroup v1 {directory}: {e.Message}");
            }
        }

        foreach (var root in V2Roots)
        {
            var controllers = Path.Combine(root, "cgroup.controllers");
            if (!File.Exists(controllers) || !File.ReadAllText(controllers).Split(' ', '\n').Contains("cpu"))
            {
                continue;
            }

            var directory = Path.Combine(root, name);
            try
            {
                File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "+cpu");
                Directory.CreateDirectory(directory);
                File.WriteAllText(Path.Combine(directory, "cpu.max"), string.Create(CultureInfo.InvariantCulture, $"{quotaUs} {periodUs}"));
                reason = null;
                return new CpuQuotaGroup(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"cgroup v2 {directory}: {e.Message}");
            }
        }

        reason = errors.Count > 0 ? string.Join("; ", errors) : "no writable cgroup cpu controller (v1 /sys/fs/cgroup/cpu or v2 cpu.max)";
        return null;
    }

    /// <summary>
    /// Writes an executable shell script that puts itself into <paramref name="group"/> (none: the full machine) and
    /// execs <paramref name="bootstrap"/>: same pid, so the worker's CPU and memory are still read from /proc/&lt;pid&gt;.
    /// </summary>
    public static string WriteWrapper(string path, string bootstrap, CpuQuotaGroup? group)
    {
        var join = group is null ? "" : $"echo $$ > '{group.ProcsFile}' || exit 97\n";
        File.WriteAllText(path, $"#!/bin/sh\n{join}exec '{Path.GetFullPath(bootstrap)}' \"$@\"\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("cgroups are Linux only.");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>Removes the group; it must be empty (its worker stopped), else it is left for the next run to reuse.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Location);
        }
        catch (IOException)
        {
            // Still holds a process (a worker that outlived the run): the next run reuses it.
        }
    }
}
