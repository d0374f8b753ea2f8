using System.Collections.Concurrent;

namespace BedrockSimulator.Faults;

/// <summary>
/// Counts model requests per request key, so throttling can fail the first N attempts and tests can count retries,
/// and per model id, so a test that gives each request its own model id can prove which ones reached "Bedrock";
/// and every served call (<see cref="ServedCall"/>), so billing can be reconciled against what "Bedrock" would charge.
/// </summary>
internal sealed class RequestLedger
{
    private readonly ConcurrentDictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _byModel = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ServedCall> _served = new();
    private int _total;

    public int Total => Volatile.Read(ref _total);

    /// <summary>Records one attempt and returns its 1-based number for that key.</summary>
    public int Record(string key)
    {
        Interlocked.Increment(ref _total);
        return _byKey.AddOrUpdate(key, 1, static (_, n) => n + 1);
    }

    public int Count(string key) => _byKey.TryGetValue(key, out var n) ? n : 0;

    /// <summary>Records that a request for <paramref name="modelId"/> (as it arrived, unescaped) was received.</summary>
    public void RecordModel(string modelId) => _byModel.AddOrUpdate(modelId, 1, static (_, n) => n + 1);

    /// <summary>Records a call whose answer is about to start: real Bedrock may bill it from here on.</summary>
    public void RecordServed(ServedCall call) => _served.Enqueue(call);

    public IReadOnlyList<ServedCall> ServedSnapshot() => [.. _served];

    public int CountModel(string modelId) => _byModel.TryGetValue(modelId, out var n) ? n : 0;

    public IReadOnlyList<KeyValuePair<string, int>> ModelSnapshot() =>
        [.. _byModel.OrderBy(p => p.Key, StringComparer.Ordinal)];

    public IReadOnlyList<KeyValuePair<string, int>> Snapshot() =>
        [.. _byKey.OrderBy(p => p.Key, StringComparer.Ordinal)];

    public void Reset()
    {
        _byKey.Clear();
        _byModel.Clear();
        _served.Clear();
        Interlocked.Exchange(ref _total, 0);
    }
}
