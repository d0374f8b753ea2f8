namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// The health of one Bedrock region as seen by this instance: closed (used in its turn), open after
/// <see cref="FailureThreshold"/> consecutive transient failures (skipped for <see cref="Cooldown"/>),
/// then half-open, where one request at a time may probe it: a probe's success closes it, a failure
/// opens it for another cool-down. Shared by every request of the instance; thread-safe.
/// </summary>
internal sealed class RegionCircuitBreaker
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private int _consecutiveFailures;
    private DateTimeOffset? _openedAt;
    private bool _probeInFlight;

    public RegionCircuitBreaker(string region, int failureThreshold, TimeSpan cooldown, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failureThreshold, 1);
        Region = region;
        FailureThreshold = failureThreshold;
        Cooldown = cooldown;
        _time = time;
    }

    public string Region { get; }
    public int FailureThreshold { get; }
    public TimeSpan Cooldown { get; }

    /// <summary>When the region last failed (never: MinValue); "least recently failed" when every region is open.</summary>
    public DateTimeOffset LastFailure { get; private set; } = DateTimeOffset.MinValue;

    public RegionCircuitState State
    {
        get
        {
            lock (_lock)
            {
                return StateAt(_time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// Whether an attempt may go to this region now. True when closed, or when half-open and no
    /// other probe is running (this attempt becomes the probe: report its end with
    /// <see cref="RecordSuccess"/>, <see cref="RecordFailure"/> or <see cref="Abandon"/>).
    /// </summary>
    public bool TryAdmit()
    {
        lock (_lock)
        {
            switch (StateAt(_time.GetUtcNow()))
            {
                case RegionCircuitState.Closed:
                    return true;
                case RegionCircuitState.HalfOpen when !_probeInFlight:
                    _probeInFlight = true;
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>An attempt sent while the circuit is open, because every region was open: it counts as a probe.</summary>
    public void ForceAdmit()
    {
        lock (_lock)
        {
            _probeInFlight = true;
        }
    }

    /// <summary>The region answered (any answer that is not a transient failure); true when this closed an open circuit.</summary>
    public bool RecordSuccess()
    {
        lock (_lock)
        {
            bool wasOpen = _openedAt is not null;
            _consecutiveFailures = 0;
            _openedAt = null;
            _probeInFlight = false;
            return wasOpen;
        }
    }

    /// <summary>A transient failure (throttling, 5xx, not ready, timeout, network); true when this opened the circuit.</summary>
    public bool RecordFailure()
    {
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            LastFailure = now;
            _consecutiveFailures++;
            _probeInFlight = false;
            if (_openedAt is not null)
            {
                // A failed probe (or a forced attempt): another full cool-down from now.
                _openedAt = now;
                return false;
            }
            if (_consecutiveFailures >= FailureThreshold)
            {
                _openedAt = now;
                return true;
            }
            return false;
        }
    }

    /// <summary>The attempt ended without a verdict (the caller left): free the probe slot, change nothing else.</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            _probeInFlight = false;
        }
    }

    private RegionCircuitState StateAt(DateTimeOffset now) => _openedAt switch
    {
        null => RegionCircuitState.Closed,
        { } opened when now - opened >= Cooldown => RegionCircuitState.HalfOpen,
        _ => RegionCircuitState.Open,
    };
}
