using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// What the calls of one embeddings request have produced so far, shared by the workers of
/// <see cref="EmbeddingsExchange"/>: each call's vectors in its slot, Bedrock's input counts summed over every
/// served call, every served call's Bedrock request id, the first failure, and the route (region, attempts and
/// failovers summed) for the usage record.
/// </summary>
internal sealed class EmbeddingsRun(int calls, TimeProvider time, long startTimestamp, Func<long> inputTokenEstimate)
{
    private readonly Lock _lock = new();
    private readonly float[][]?[] _vectors = new float[calls][][];
    private readonly List<string> _requestIds = new(calls);
    private int _served;
    private long _input;
    private bool _estimated;
    private int _attempts;
    private int _failovers;
    private volatile bool _stopped;

    /// <summary>Set once a call failed or answered something unreadable: no further call starts.</summary>
    public bool Stopped => _stopped;

    public BedrockException? Failure { get; private set; }

    /// <summary>A served call's answer held no readable vectors for its inputs.</summary>
    public bool Unreadable { get; private set; }

    public BedrockRoute? Route { get; private set; }

    /// <summary>The x-amzn-RequestId of the first call Bedrock served, for the usage record and the answer.</summary>
    public string? FirstRequestId { get; private set; }

    /// <summary>Every served call's x-amzn-RequestId, in the order Bedrock answered: each one Bedrock may charge, named in the usage record.</summary>
    public IReadOnlyList<string> RequestIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _requestIds];
            }
        }
    }

    /// <summary>The calls Bedrock served, whose counts (or estimates) <see cref="Tokens"/> sums; an answer without a request id counts too.</summary>
    public int ServedCalls
    {
        get
        {
            lock (_lock)
            {
                return _served;
            }
        }
    }

    /// <summary>The bill so far, as the pipeline reads it when the request ends early (a refusal, the deadline); null until a call was served.</summary>
    public StreamUsageTracker? Tracker { get; private set; }

    public TokenUsage Tokens
    {
        get
        {
            lock (_lock)
            {
                return new TokenUsage(_input, 0);
            }
        }
    }

    public void Fail(BedrockException failure)
    {
        lock (_lock)
        {
            Failure ??= failure;
            _stopped = true;
        }
    }

    /// <param name="reported">Bedrock's counts; null when it sent none and <paramref name="estimate"/> stands in.</param>
    public void Served(int index, float[][]? vectors, TokenUsage? reported, long estimate, BedrockResponse response)
    {
        lock (_lock)
        {
            _vectors[index] = vectors;
            _input += reported?.InputTokens ?? estimate;
            _estimated |= reported is null;
            _served++;
            if (response.Headers.Get(BedrockResponseHeaders.RequestId) is string requestId)
            {
                _requestIds.Add(requestId);
                FirstRequestId ??= requestId;
            }
            if (response.Route is { } route)
            {
                _attempts += route.Attempts;
                _failovers += route.Failovers;
                Route = route with { Attempts = _attempts, Failovers = _failovers };
            }
            if (vectors is null)
            {
                Unreadable = true;
                _stopped = true;
            }
            Tracker ??= new StreamUsageTracker(time, startTimestamp, inputTokenEstimate);
            Tracker.ObserveUnary(new TokenUsage(_input, 0), default);
        }
    }

    /// <summary>How the request ended, billed with every served call's input (null when Bedrock served none).</summary>
    public CallOutcome Outcome(int httpStatus, string? errorType)
    {
        lock (_lock)
        {
            bool served = Tracker is not null;
            return new CallOutcome(httpStatus, errorType, served ? new TokenUsage(_input, 0) : null, null) { TokensEstimated = served && _estimated };
        }
    }

    /// <summary>Every input's vector in input order; only once every call succeeded.</summary>
    public float[][] Vectors(int inputs, IReadOnlyList<EmbeddingBodies.Call> calls)
    {
        var all = new float[inputs][];
        for (int c = 0; c < calls.Count; c++)
        {
            float[][] batch = _vectors[c]!;
            Array.Copy(batch, 0, all, calls[c].First, calls[c].Count);
        }
        return all;
    }
}
