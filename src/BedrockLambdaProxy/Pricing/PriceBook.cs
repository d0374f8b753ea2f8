using System.Globalization;
using BedrockLambdaProxy.Logging;

namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// Finds the price in force for a model id as the caller named it (foundation model, cross-region
/// profile, ARN, or an application inference profile ARN mapped to its model). Null means unpriced: the
/// record then carries no cost (never $0), and a dollar budget cannot be enforced for it.
/// </summary>
/// <remarks>
/// Rows: the shipped table (<see cref="ShippedPrices"/>) with operator overrides on top. Overrides are read
/// once at start-up and then refreshed in the background at most once per <c>refreshEvery</c> (the auth
/// cache time), so <see cref="Find"/> never waits for DynamoDB. Tier fallback: a geographic profile without
/// a row of its own is priced at the in-region row (cross-region inference adds no charge); a <c>global.</c>
/// profile is priced only by a global row.
/// </remarks>
internal sealed class PriceBook
{
    /// <summary>Shortest refresh period, so that AUTH_CACHE_SECONDS=0 does not read DynamoDB on every request.</summary>
    private static readonly TimeSpan MinimumRefresh = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<ModelPrice> _shipped;
    private readonly PriceStore? _store;
    private readonly TimeSpan _refreshEvery;
    private readonly TimeProvider _time;
    private readonly JsonLog? _log;
    private volatile Snapshot _snapshot;
    private long _loadedAt;
    private int _refreshing;
    private Task? _initialLoad;

    public PriceBook(
        IReadOnlyList<ModelPrice> shipped, PriceStore? store = null, TimeSpan refreshEvery = default, TimeProvider? time = null, JsonLog? log = null)
    {
        _shipped = shipped;
        _store = store;
        _refreshEvery = refreshEvery < MinimumRefresh ? MinimumRefresh : refreshEvery;
        _time = time ?? TimeProvider.System;
        _log = log;
        _snapshot = new Snapshot(shipped, PriceOverrides.None);
        _loadedAt = _time.GetUtcNow().UtcTicks;
    }

    /// <summary>No prices at all: every model is unpriced (tests).</summary>
    public static PriceBook Empty { get; } = new([]);

    /// <summary>A fixed book: <paramref name="shipped"/> with <paramref name="overrides"/> on top, never refreshed (the admin tool, tests).</summary>
    public static PriceBook Of(IReadOnlyList<ModelPrice> shipped, PriceOverrides overrides)
    {
        var book = new PriceBook(shipped);
        book._snapshot = new Snapshot(shipped, overrides);
        return book;
    }

    /// <summary>
    /// Rows from PRICES_EXTRA, added to the shipped table at start-up (a later row replaces an earlier one of
    /// the same model and tier): <c>modelId=input,output,cacheRead,cacheWrite</c> in micro-dollars per million
    /// tokens, in-region tier, rows separated by <c>;</c> (e.g. <c>amazon.nova-lite-v1:0=60000,240000,15000,0</c>).
    /// A malformed row stops start-up. Overrides that need no deploy are <c>bedrock-proxy-admin prices set</c>.
    /// </summary>
    public static IReadOnlyList<ModelPrice> ParseRows(string? text)
    {
        var rows = new List<ModelPrice>();
        foreach (string row in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = row.LastIndexOf('=');
            string[] numbers = eq > 0 ? row[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries) : [];
            if (numbers.Length != 4 || !numbers.All(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new FormatException($"PRICES_EXTRA row '{row}' is not modelId=input,output,cacheRead,cacheWrite (micro-dollars per million tokens).");
            }
            long[] p = [.. numbers.Select(n => long.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture))];
            rows.Add(new ModelPrice(row[..eq], PriceTier.InRegion, p[0], p[1], p[2], p[3], "PRICES_EXTRA"));
        }
        return rows;
    }

    /// <summary>A fixed book of PRICES_EXTRA rows alone (tests).</summary>
    public static PriceBook Parse(string? text) => new(ParseRows(text));

    /// <summary>The shipped table without operator overrides.</summary>
    public static PriceBook Shipped { get; } = new(ShippedPrices.Rows);

    /// <summary>Every row in force (shipped rows replaced or completed by overrides), for <c>prices list</c>.</summary>
    public IReadOnlyList<ModelPrice> Rows => _snapshot.Rows;

    /// <summary>Application inference profile ARNs mapped to the model id they stand for.</summary>
    public IReadOnlyDictionary<string, string> Profiles => _snapshot.Profiles;

    /// <summary>
    /// The first read of the overrides, started on the first call and shared by every later one; completes
    /// (never faults) once the overrides are in force or could not be read. Awaited before a record is priced,
    /// so a cold function never prices by the shipped table alone while an override exists.
    /// </summary>
    public Task EnsureLoadedAsync()
    {
        if (_store is null)
        {
            return Task.CompletedTask;
        }
        if (Volatile.Read(ref _initialLoad) is Task started)
        {
            return started;
        }
        var load = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _initialLoad, load.Task, null) is Task other)
        {
            return other;
        }
        Interlocked.Exchange(ref _refreshing, 1);
        _ = LoadFirstAsync(load);
        return load.Task;
    }

    private async Task LoadFirstAsync(TaskCompletionSource load)
    {
        try
        {
            await RefreshInBackgroundAsync().ConfigureAwait(false);
        }
        finally
        {
            load.SetResult();
        }
    }

    public ModelPrice? Find(string modelId)
    {
        RefreshIfStale();
        Snapshot snapshot = _snapshot;
        PricedModelId id = PricedModelId.Parse(modelId);
        if (id.ApplicationProfileArn is string arn)
        {
            if (!snapshot.Profiles.TryGetValue(arn, out string? mapped))
            {
                return null;
            }
            id = PricedModelId.Parse(mapped);
            if (id.ApplicationProfileArn is not null)
            {
                return null;
            }
        }
        if (snapshot.ByModel.TryGetValue((id.FoundationModel, id.Tier), out ModelPrice? price))
        {
            return price;
        }
        return id.Tier == PriceTier.Geographic && snapshot.ByModel.TryGetValue((id.FoundationModel, PriceTier.InRegion), out price)
            ? price
            : null;
    }

    /// <summary>Reads the overrides now (start-up, and the background refresh); keeps the rows in force when DynamoDB cannot answer.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (_store is null)
        {
            return;
        }
        try
        {
            PriceOverrides overrides = await _store.LoadAsync(ct).ConfigureAwait(false);
            _snapshot = new Snapshot(_shipped, overrides);
        }
        catch (Exception ex)
        {
            // Unreachable, slow (the read's own timeout) or refused: pricing goes on with the rows it has.
            _log?.Error("price overrides could not be read; the prices in force stay", ex);
        }
        finally
        {
            Interlocked.Exchange(ref _loadedAt, _time.GetUtcNow().UtcTicks);
        }
    }

    private void RefreshIfStale()
    {
        if (_store is null || Volatile.Read(ref _initialLoad) is null || _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _loadedAt) < _refreshEvery.Ticks
            || Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0)
        {
            return;
        }
        _ = RefreshInBackgroundAsync();
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await RefreshAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    /// <summary>One consistent view of the rows and profile mappings, swapped whole on refresh.</summary>
    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<ModelPrice> shipped, PriceOverrides overrides)
        {
            var byModel = new Dictionary<(string, PriceTier), ModelPrice>();
            foreach (ModelPrice row in shipped)
            {
                byModel[(row.ModelId, row.Tier)] = row;
            }
            foreach (ModelPrice row in overrides.Rows)
            {
                byModel[(row.ModelId, row.Tier)] = row;
            }
            ByModel = byModel;
            Rows = [.. byModel.Values.OrderBy(r => r.ModelId, StringComparer.Ordinal).ThenBy(r => r.Tier)];
            Profiles = overrides.Profiles;
        }

        public Dictionary<(string, PriceTier), ModelPrice> ByModel { get; }

        public IReadOnlyList<ModelPrice> Rows { get; }

        public IReadOnlyDictionary<string, string> Profiles { get; }
    }
}
