using System.Diagnostics;
using BedrockLambdaProxy.LocalHost.Invocations;

namespace BedrockLambdaProxy.LocalHost.Workers;

/// <summary>
/// One execution environment: a Runtime API port and the bootstrap process polling it. The
/// process is restarted when it dies, as Lambda replaces a failed sandbox.
/// </summary>
internal sealed class WorkerSlot
{
    // A bootstrap that dies during start-up would otherwise be restarted in a hot loop.
    private static readonly TimeSpan CrashBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QuickExit = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly Func<int, ProcessStartInfo> _startInfo;
    private readonly Action<WorkerLogLine> _output;
    private readonly Action<string> _log;
    private readonly Action<WorkerFailedResult> _idleExit;
    private Process? _process;
    private Task _exitHandled = Task.CompletedTask;
    private bool _stopped = true;
    private int _generation;

    /// <param name="idleExit">Called when the process dies holding no invocation (an init failure).</param>
    public WorkerSlot(int index, Func<int, ProcessStartInfo> startInfo, Action<WorkerLogLine> output, Action<string> log, Action<WorkerFailedResult> idleExit)
    {
        _idleExit = idleExit;
        Index = index;
        _startInfo = startInfo;
        _output = output;
        _log = log;
    }

    public int Index { get; }

    /// <summary>The invocation this worker holds between /next and its answer.</summary>
    public PendingInvocation? Current { get; set; }

    /// <summary>The last invocation given to this worker, until it asks for the next one (answered or not).</summary>
    public PendingInvocation? Holding { get; set; }

    /// <summary>Processes started after the first one: crashes, timeouts and recycles.</summary>
    public int Restarts { get; private set; }

    /// <summary>Which process of this slot is the current one: a poll that came from an earlier one must not take work.</summary>
    public int Generation
    {
        get
        {
            lock (_gate)
            {
                return _generation;
            }
        }
    }

    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process?.Id;
            }
        }
    }

    /// <summary>
    /// Stopwatch timestamp of the current process's first GET /next: the end of its init (0 until
    /// then). Cold-start benchmarks split a first request's time at this point.
    /// </summary>
    public long FirstPollTimestamp { get; private set; }

    /// <summary>Notes the current process's first /next (the Runtime API handler calls it on every /next).</summary>
    public void NotePoll()
    {
        if (FirstPollTimestamp == 0)
        {
            FirstPollTimestamp = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Starts a fresh process; returns the Stopwatch timestamp taken just before Process.Start.</summary>
    public long Start()
    {
        lock (_gate)
        {
            _stopped = false;
            return StartLocked();
        }
    }

    /// <summary>Kills the process without a restart and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        Process? process;
        Task exitHandled;
        lock (_gate)
        {
            _stopped = true;
            process = _process;
            exitHandled = _exitHandled;
        }

        if (process is not null)
        {
            Kill(process);
            await process.WaitForExitAsync().ConfigureAwait(false);
            // The exit event runs on its own: until it has failed the invocation the killed process held, a
            // process started next could be handed new work that the old exit would then fail as its own.
            await exitHandled.ConfigureAwait(false);
        }
    }

    /// <summary>Resets the sandbox: kills the process; its exit handler fails the invocation and restarts it.</summary>
    public void Reset(string reason)
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        _log($"worker {Index}: {reason}; resetting the execution environment");
        if (process is not null)
        {
            Kill(process);
        }
    }

    private long StartLocked()
    {
        FirstPollTimestamp = 0;
        var info = _startInfo(Index);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var generation = ++_generation;
        if (generation > 1)
        {
            Restarts++;
        }

        process.OutputDataReceived += (_, e) => Forward(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, isError: true);
        var started = Stopwatch.GetTimestamp();
        var exitHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => _ = OnExitedGuardedAsync(process, generation, started, exitHandled);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _exitHandled = exitHandled.Task;
        return started;
    }

    private void Forward(string? line, bool isError)
    {
        if (line is not null)
        {
            _output(new WorkerLogLine(Index, isError, line, DateTimeOffset.UtcNow));
        }
    }

    private async Task OnExitedGuardedAsync(Process process, int generation, long started, TaskCompletionSource exitHandled)
    {
        try
        {
            await OnExitedAsync(process, generation, started, exitHandled).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A fire-and-forget handler: a failure here would otherwise vanish with the worker.
            _log($"worker {Index}: restart failed: {ex.Message}");
        }
        finally
        {
            exitHandled.TrySetResult();
        }
    }

    private async Task OnExitedAsync(Process process, int generation, long started, TaskCompletionSource exitHandled)
    {
        // Process.StartTime cannot be read once the process is gone (Linux reads /proc).
        var lived = Stopwatch.GetElapsedTime(started);
        var code = process.ExitCode;
        var failure = new WorkerFailedResult($"Runtime.ExitError: worker process exited with code {code}");
        bool restart;
        lock (_gate)
        {
            restart = !_stopped && generation == _generation;
        }

        if (Current is { } current)
        {
            current.Fail(failure);
            Current = null;
        }
        else if (restart)
        {
            _idleExit(failure);
        }

        // Handled: the invocation is failed; what follows is the restart, which nothing waits for.
        exitHandled.TrySetResult();
        if (!restart)
        {
            return;
        }

        _log($"worker {Index}: process {process.Id} exited with code {code}; restarting");
        if (lived < QuickExit)
        {
            await Task.Delay(CrashBackoff).ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (!_stopped && generation == _generation)
            {
                StartLocked();
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
