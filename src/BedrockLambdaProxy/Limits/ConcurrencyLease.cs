namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Whether a request holds a concurrency slot, set by admission (possibly on another thread) and read
/// by the release at the end of the request.
/// </summary>
internal sealed class ConcurrencyLease
{
    private volatile string? _customerId;

    /// <summary>The customer whose slot this request holds; null when it holds none.</summary>
    public string? CustomerId => _customerId;

    /// <summary>Marks the slot held; called before the acquire is sent, since a write whose answer was lost may have taken it.</summary>
    public void Hold(string customerId) => _customerId = customerId;

    /// <summary>The acquire was refused by its condition: nothing was taken, nothing to release.</summary>
    public void Drop() => _customerId = null;
}
