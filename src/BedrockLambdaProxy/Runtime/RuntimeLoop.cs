namespace BedrockLambdaProxy.Runtime;

/// <summary>The invocation loop: fetch the next event, run the handler under its deadline, report failures.</summary>
internal sealed class RuntimeLoop
{
    /// <summary>The X-Ray trace header the AWS SDKs read from the environment.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Longer than any Lambda timeout (15 minutes) and within what a timer accepts.</summary>
    private static readonly TimeSpan LongestDeadline = TimeSpan.FromDays(1);

    private readonly RuntimeApiClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _deadlineMargin;
    private readonly bool _logResources;

    /// <param name="deadlineMargin">
    /// How long before the deadline the handler's token fires, leaving time to end a stream with
    /// error trailers before Lambda stops the function.
    /// </param>
    /// <param name="logResources">Log each invocation's allocated bytes and CPU time (see <see cref="LambdaBootstrap.ResourceLogVariable"/>).</param>
    public RuntimeLoop(RuntimeApiClient client, TimeProvider timeProvider, TimeSpan deadlineMargin, bool logResources = false)
    {
        _client = client;
        _timeProvider = timeProvider;
        _deadlineMargin = deadlineMargin;
        _logResources = logResources;
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (returns 0) or the Runtime API
    /// stops answering /next (returns 1). Handler failures never end the loop.
    /// </summary>
    public async Task<int> RunAsync(IInvocationHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            Invocation invocation;
            try
            {
                invocation = await _client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex)
            {
                RuntimeLog.Error("The Runtime API did not deliver the next invocation; stopping.", null, ex);
                return 1;
            }

            // One invocation at a time, so the process-wide counters are this invocation's (plus the
            // runtime's own background work, which is small).
            long allocatedBefore = _logResources ? GC.GetTotalAllocatedBytes(precise: true) : 0;
            TimeSpan cpuBefore = _logResources ? Environment.CpuUsage.TotalTime : default;
            try
            {
                await InvokeAsync(handler, invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // InvokeAsync reports handler failures itself; this guards the loop against its own bugs.
                RuntimeLog.Error("The runtime loop failed while running an invocation.", invocation.RequestId, ex);
            }
            if (_logResources)
            {
                RuntimeLog.Resources(
                    invocation.RequestId,
                    GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore,
                    (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds);
            }
        }
    }

    /// <summary>Runs one invocation; everything that goes wrong inside it is reported, never thrown.</summary>
    private async Task InvokeAsync(IInvocationHandler handler, Invocation invocation, CancellationToken stopping)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        using CancellationTokenSource deadline = CreateDeadlineSource(invocation.Deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        var responder = new RuntimeInvocationResponder(_client, invocation.RequestId);
        await using (responder.ConfigureAwait(false))
        {
            try
            {
                await handler.HandleAsync(invocation, responder, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                RuntimeLog.Error("The handler failed.", invocation.RequestId, ex);
                await ReportAsync(responder, invocation.RequestId, ex.GetType().Name, ex.Message).ConfigureAwait(false);
                return;
            }

            if (!responder.HasResponded)
            {
                await ReportAsync(responder, invocation.RequestId, "Runtime.NoResponse", "The handler returned without answering.")
                    .ConfigureAwait(false);
            }
            else if (responder.Stream is { IsEnded: false })
            {
                // Completing on the handler's behalf could pass off a cut-short answer as whole.
                await ReportAsync(responder, invocation.RequestId, "Runtime.StreamNotCompleted", "The handler returned without ending its stream.")
                    .ConfigureAwait(false);
            }
        }
    }

    private async Task ReportAsync(RuntimeInvocationResponder responder, string requestId, string errorType, string errorMessage)
    {
        try
        {
            if (responder.Stream is { } stream)
            {
                // Idempotent: a stream the handler already ended keeps its ending.
                await stream.FailAsync(errorType, errorMessage, CancellationToken.None).ConfigureAwait(false);
            }
            else if (!responder.HasResponded)
            {
                // Not the loop's token: stopping the loop must not swallow this invocation's error.
                await _client.PostInvocationErrorAsync(requestId, errorType, errorMessage, CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            RuntimeLog.Error("The invocation error could not be reported to the Runtime API.", requestId, ex);
        }
    }

    private CancellationTokenSource CreateDeadlineSource(DateTimeOffset deadline)
    {
        TimeSpan remaining = deadline == DateTimeOffset.MaxValue
            ? TimeSpan.MaxValue
            : deadline - _deadlineMargin - _timeProvider.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return CreateCancelled();
        }

        // No or an absurd deadline (not something Lambda sends): no timer rather than an overflow.
        return remaining > LongestDeadline
            ? new CancellationTokenSource()
            : new CancellationTokenSource(remaining, _timeProvider);
    }

    private static CancellationTokenSource CreateCancelled()
    {
        var source = new CancellationTokenSource();
        source.Cancel();
        return source;
    }
}
