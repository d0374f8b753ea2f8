namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// The order in which one request's attempts visit the configured regions: each attempt takes the
/// next region, after the one tried last, whose circuit admits it (so the first attempt goes to the
/// first healthy region in configured order, and a failure moves on to the next); when no circuit
/// admits, the least recently failed region is tried anyway, because an answer from a doubtful
/// region beats a certain error without trying.
/// </summary>
internal sealed class RegionRotation
{
    private readonly IReadOnlyList<RegionCircuitBreaker> _breakers;
    private readonly bool[] _tried;
    private int _next;
    private int _current = -1;

    public RegionRotation(IReadOnlyList<RegionCircuitBreaker> breakers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(breakers.Count);
        _breakers = breakers;
        _tried = new bool[breakers.Count];
    }

    /// <summary>Index of the region the current attempt goes to.</summary>
    public int Current => _current;

    /// <summary>Whether the current attempt returns to a region this request already tried (so it must back off first).</summary>
    public bool Revisits { get; private set; }

    /// <summary>Whether the current attempt goes to a different region than the attempt before it.</summary>
    public bool MovedRegion { get; private set; }

    /// <summary>
    /// Regions this request has not tried yet and could still try: those whose circuit is open now
    /// are not counted, since a later attempt would skip them.
    /// </summary>
    public int RegionsLeftToTry()
    {
        int left = 0;
        for (int i = 0; i < _breakers.Count; i++)
        {
            if (!_tried[i] && _breakers[i].State != RegionCircuitState.Open)
            {
                left++;
            }
        }
        return left;
    }

    /// <summary>Picks the region of the next attempt and claims its circuit's admission (a probe slot when half-open).</summary>
    public int Advance()
    {
        int count = _breakers.Count;
        int chosen = -1;
        for (int step = 0; step < count && chosen < 0; step++)
        {
            int index = (_next + step) % count;
            if (_breakers[index].TryAdmit())
            {
                chosen = index;
            }
        }
        if (chosen < 0)
        {
            chosen = LeastRecentlyFailed();
            _breakers[chosen].ForceAdmit();
        }
        Revisits = _tried[chosen];
        MovedRegion = _current >= 0 && _current != chosen;
        _tried[chosen] = true;
        _current = chosen;
        _next = (chosen + 1) % count;
        return chosen;
    }

    private int LeastRecentlyFailed()
    {
        int best = 0;
        for (int i = 1; i < _breakers.Count; i++)
        {
            // Strictly earlier only, so ties keep the configured order.
            if (_breakers[i].LastFailure < _breakers[best].LastFailure)
            {
                best = i;
            }
        }
        return best;
    }
}
