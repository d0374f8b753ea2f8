using System.Collections.Concurrent;

namespace BedrockLambdaProxy.Auth;

/// <summary>
/// A bounded in-memory map whose entries remember when they were stored, so the caller can use
/// them while fresh and, after a failed refresh, while merely stale. Entries older than
/// <c>retention</c> are dropped. When full, expired entries go first, then arbitrary ones: a
/// flood of distinct keys can cost cache hits, never memory.
/// </summary>
internal sealed class TtlCache<TValue>(TimeProvider time, TimeSpan retention, int capacity)
{
    private readonly ConcurrentDictionary<string, Stamped> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The entry and its age, if stored less than the retention ago.</summary>
    public bool TryGet(string key, out TValue value, out TimeSpan age)
    {
        if (_entries.TryGetValue(key, out Stamped stamped))
        {
            age = time.GetUtcNow() - stamped.StoredAt;
            if (age < retention)
            {
                value = stamped.Value;
                return true;
            }
            _entries.TryRemove(new KeyValuePair<string, Stamped>(key, stamped));
        }
        value = default!;
        age = TimeSpan.Zero;
        return false;
    }

    public void Set(string key, TValue value)
    {
        if (capacity <= 0 || retention <= TimeSpan.Zero)
        {
            return;
        }
        if (_entries.Count >= capacity && !_entries.ContainsKey(key))
        {
            Prune();
        }
        _entries[key] = new Stamped(value, time.GetUtcNow());
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    private void Prune()
    {
        DateTimeOffset now = time.GetUtcNow();
        foreach (KeyValuePair<string, Stamped> entry in _entries)
        {
            if (now - entry.Value.StoredAt >= retention)
            {
                _entries.TryRemove(entry);
            }
        }
        // Still full of live entries: drop a tenth, in whatever order the dictionary yields.
        int excess = _entries.Count - (capacity - Math.Max(1, capacity / 10));
        foreach (KeyValuePair<string, Stamped> entry in _entries)
        {
            if (excess-- <= 0)
            {
                break;
            }
            _entries.TryRemove(entry);
        }
    }

    private readonly record struct Stamped(TValue Value, DateTimeOffset StoredAt);
}
