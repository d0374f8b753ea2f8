using System.Collections.Concurrent;
using System.Threading.Channels;

namespace BedrockLambdaProxy.LocalHost.Invocations;

/// <summary>
/// Hands invocations to idle workers. A worker is idle while its /next long-poll waits on the
/// queue, so an invocation waits only when every worker is busy, as Lambda queues none but
/// scales out; here the scale is fixed by the worker count.
/// </summary>
internal sealed class InvocationDispatcher
{
    // Lambda gives a sandbox 10 s to initialise; an invocation no worker picks up within that
    // plus the timeout (workers crash-looping, all stuck) fails rather than waiting forever.
    private static readonly TimeSpan InitAllowance = TimeSpan.FromSeconds(10);

    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _byId = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout;
    private readonly Action<PendingInvocation> _onTimeout;

    public InvocationDispatcher(TimeSpan timeout, Action<PendingInvocation> onTimeout)
    {
        _timeout = timeout;
        _onTimeout = onTimeout;
    }

    /// <summary>Queues an event for the next idle worker.</summary>
    public PendingInvocation Enqueue(byte[] payload)
    {
        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), payload);
        _byId[invocation.RequestId] = invocation;
        _ = WatchDeadlineAsync(invocation);
        _queue.Writer.TryWrite(invocation);
        return invocation;
    }

    /// <summary>Waits for the next live invocation for a worker's /next long-poll.</summary>
    public async Task<PendingInvocation> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var invocation = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!invocation.IsFinished)
            {
                return invocation;
            }
        }
    }

    /// <summary>Puts back an invocation whose /next response never reached its worker.</summary>
    public void Requeue(PendingInvocation invocation) => _queue.Writer.TryWrite(invocation);

    /// <summary>Hands the invocation to a worker and starts its deadline.</summary>
    public void Assign(PendingInvocation invocation, int worker) => invocation.Assign(worker, DateTimeOffset.UtcNow + _timeout);

    /// <summary>
    /// Fails the oldest queued invocation: a sandbox that dies before taking any work fails the
    /// request that was waiting for it (Lambda's Runtime.ExitError), instead of leaving it to time out.
    /// </summary>
    public void FailOneQueued(InvocationResult failure)
    {
        while (_queue.Reader.TryRead(out var invocation))
        {
            if (!invocation.IsFinished)
            {
                invocation.Fail(failure);
                return;
            }
        }
    }

    public PendingInvocation? Find(string requestId) => _byId.GetValueOrDefault(requestId);

    public void Complete() => _queue.Writer.TryComplete();

    private async Task WatchDeadlineAsync(PendingInvocation invocation)
    {
        var finished = invocation.Finished;
        var timedOut = false;
        await Task.WhenAny(invocation.Assigned, finished, Task.Delay(_timeout + InitAllowance)).ConfigureAwait(false);
        if (!invocation.IsFinished)
        {
            var remaining = invocation.Assigned.IsCompleted ? invocation.Deadline - DateTimeOffset.UtcNow : TimeSpan.Zero;
            if (remaining > TimeSpan.Zero)
            {
                await Task.WhenAny(finished, Task.Delay(remaining)).ConfigureAwait(false);
            }

            if (!invocation.IsFinished)
            {
                _onTimeout(invocation);
                timedOut = true;
            }
        }

        // Late posts for this id then get "unknown request" as the Runtime API gives them.
        await finished.ConfigureAwait(false);
        _byId.TryRemove(invocation.RequestId, out _);

        // Answered, but the timeout runs until the worker asks for its next event: Lambda stops a
        // function still working after its response (bookkeeping, say) at the deadline too.
        var left = invocation.Deadline - DateTimeOffset.UtcNow;
        if (!timedOut && invocation.Assigned.IsCompleted && invocation.Deadline != DateTimeOffset.MaxValue && !invocation.Released.IsCompleted)
        {
            await Task.WhenAny(invocation.Released, Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero)).ConfigureAwait(false);
            if (!invocation.Released.IsCompleted)
            {
                _onTimeout(invocation);
            }
        }
    }
}
