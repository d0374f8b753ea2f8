namespace BedrockLambdaProxy.LocalHost.Invocations;

/// <summary>One event on its way through the stack: queued, held by a worker, then answered.</summary>
internal sealed class PendingInvocation
{
    private readonly TaskCompletionSource<InvocationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingInvocation(string requestId, byte[] payload)
    {
        RequestId = requestId;
        Payload = payload;
    }

    public string RequestId { get; }

    /// <summary>The event JSON handed to the worker unchanged.</summary>
    public byte[] Payload { get; }

    /// <summary>Set when a worker takes the invocation: Lambda's clock starts at delivery, not while queued.</summary>
    public DateTimeOffset Deadline { get; private set; } = DateTimeOffset.MaxValue;

    /// <summary>The worker slot that took the invocation, once one has.</summary>
    public int? Worker { get; private set; }

    /// <summary>Completes when a worker's /next delivered the invocation.</summary>
    public Task Assigned => _assigned.Task;

    public void Assign(int worker, DateTimeOffset deadline)
    {
        Worker = worker;
        Deadline = deadline;
        _assigned.TrySetResult();
    }

    /// <summary>Completes with the first answer: a buffered payload, a stream that has started, or a failure.</summary>
    public Task<InvocationResult> Result => _result.Task;

    /// <summary>Completes when the worker is done with the invocation (a stream included) or it failed.</summary>
    public Task Finished => _finished.Task;

    public bool IsFinished => _finished.Task.IsCompleted;

    /// <summary>Sets the first answer; false if the invocation already had one (a late response after a timeout).</summary>
    public bool TrySetResult(InvocationResult result) => _result.TrySetResult(result);

    public void MarkFinished() => _finished.TrySetResult();

    /// <summary>
    /// Completes when the worker asks for its next event: until then the invocation is still running
    /// (work after the response counts toward the function's timeout, as on Lambda).
    /// </summary>
    public Task Released => _released.Task;

    public void MarkReleased() => _released.TrySetResult();

    /// <summary>Ends the invocation as failed, whatever stage it reached.</summary>
    public void Fail(InvocationResult failure)
    {
        _result.TrySetResult(failure);
        _finished.TrySetResult();
    }
}
