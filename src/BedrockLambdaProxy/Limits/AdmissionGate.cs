namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Lets a request's Bedrock call go out while its admission write may still be in flight, and
/// holds everything Bedrock answers until admission has decided: nothing reaches the caller before
/// the request is admitted, and a refused request's Bedrock call is cancelled and thrown away.
/// </summary>
/// <remarks>
/// Why: Bedrock's time to first token starts when Bedrock receives the request, so sending it
/// alongside the conditional UpdateItem (instead of after it) takes the DynamoDB round trip out of
/// the caller's wait. The pipeline only overlaps when this instance's last view of the counters
/// leaves the request well inside every limit (<see cref="Admission.HasHeadroom"/>); near a limit
/// admission decides first, as before, so a customer over a limit cannot make Bedrock work.
/// </remarks>
internal sealed class AdmissionGate : IDisposable
{
    private readonly Task<AdmissionDecision> _decision;
    private CancellationTokenSource? _refusal;

    public AdmissionGate(Task<AdmissionDecision> decision)
    {
        _decision = decision;
    }

    /// <summary>Already admitted with no rate-limit headers: for callers that run no admission (tests of one surface).</summary>
    public static AdmissionGate Admitted { get; } = new(Task.FromResult(new AdmissionDecision { IsAdmitted = true, Status = 200, Headers = [] }));

    /// <summary>
    /// The decision. Admission turns DynamoDB's failures into decisions; it throws only when the
    /// request's own token fires (deadline, caller gone).
    /// </summary>
    public Task<AdmissionDecision> Decision => _decision;

    /// <summary>The admitted decision's rate-limit headers, for the answer; only once <see cref="CallAsync"/> has returned.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers =>
        _decision.IsCompletedSuccessfully
            ? _decision.Result.Headers
            : throw new InvalidOperationException("Admission has not decided yet; call Bedrock through CallAsync first.");

    /// <summary>
    /// Starts <paramref name="call"/> at once and returns its result when admission admits the request;
    /// when admission refuses, cancels the call, disposes what it returned and throws
    /// <see cref="AdmissionRefusedException"/>. A Bedrock failure is thrown only after admission admitted.
    /// </summary>
    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (_decision.IsCompleted)
        {
            AdmissionDecision decided = await _decision.ConfigureAwait(false);
            return decided.IsAdmitted ? await call(cancellationToken).ConfigureAwait(false) : throw new AdmissionRefusedException(decided);
        }

        // Kept until Dispose: the call may still hold the token when it returns.
        _refusal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<T> calling = call(_refusal.Token);
        AdmissionDecision decision;
        try
        {
            decision = await _decision.ConfigureAwait(false);
        }
        catch (Exception)
        {
            await AbandonAsync(calling).ConfigureAwait(false);
            throw;
        }
        if (decision.IsAdmitted)
        {
            return await calling.ConfigureAwait(false);
        }
        await AbandonAsync(calling).ConfigureAwait(false);
        throw new AdmissionRefusedException(decision);
    }

    public void Dispose() => _refusal?.Dispose();

    /// <summary>Cancels the call and waits for it to end; whatever it produced (an open stream) is closed, any failure ignored.</summary>
    private async Task AbandonAsync<T>(Task<T> calling)
    {
        await _refusal!.CancelAsync().ConfigureAwait(false);
        try
        {
            T result = await calling.ConfigureAwait(false);
            switch (result)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
        catch (Exception)
        {
            // Cancelled, or Bedrock failed: either way nobody will read it.
        }
    }
}
