using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Pricing;

/// <summary>
/// Operator price overrides in DynamoDB: one item, <c>pk = price#book</c>, in the rate-limits table
/// (point-in-time recovery, retained on stack deletion). One item so that a running function reads every
/// override in one GetItem per cache period, and a row is replaced by one UpdateItem.
/// </summary>
/// <remarks>
/// Attributes: <c>r#&lt;tier&gt;#&lt;modelId&gt;</c> a map (<c>in</c>, <c>out</c>, <c>cr</c>, <c>cw</c>,
/// optional <c>cw1h</c>: micro-dollars per million tokens; <c>ver</c> the row's version; <c>src</c> its source);
/// <c>p#&lt;application inference profile ARN&gt;</c> the model id it stands for.
/// </remarks>
internal sealed class PriceStore(IAmazonDynamoDB dynamo, string rateLimitsTable)
{
    public const string PartitionKey = "price#book";
    private const string RowPrefix = "r#";
    private const string ProfilePrefix = "p#";

    /// <summary>Every stored override; <see cref="PriceOverrides.None"/> when operators set none.</summary>
    public async Task<PriceOverrides> LoadAsync(CancellationToken ct)
    {
        GetItemResponse response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = rateLimitsTable,
            Key = Key(),
            ConsistentRead = true,
        }, ct).ConfigureAwait(false);
        if (response.Item is not { Count: > 0 } item)
        {
            return PriceOverrides.None;
        }
        var rows = new List<ModelPrice>();
        var profiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, AttributeValue value) in item)
        {
            if (name.StartsWith(RowPrefix, StringComparison.Ordinal) && ReadRow(name, value) is ModelPrice row)
            {
                rows.Add(row);
            }
            else if (name.StartsWith(ProfilePrefix, StringComparison.Ordinal) && value.S is string model)
            {
                profiles[name[ProfilePrefix.Length..]] = model;
            }
        }
        return new PriceOverrides(rows, profiles);
    }

    /// <summary>Stores <paramref name="price"/>, replacing any override for the same model and tier (admin tool only).</summary>
    public Task SetAsync(ModelPrice price, CancellationToken ct)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["in"] = Number(price.InputMicroUsdPerMillion),
            ["out"] = Number(price.OutputMicroUsdPerMillion),
            ["cr"] = Number(price.CacheReadMicroUsdPerMillion),
            ["cw"] = Number(price.CacheWriteMicroUsdPerMillion),
            ["ver"] = new AttributeValue { S = price.Version },
        };
        if (price.CacheWrite1hMicroUsdPerMillion is long hour)
        {
            map["cw1h"] = Number(hour);
        }
        if (price.Source is string source)
        {
            map["src"] = new AttributeValue { S = source };
        }
        return SetAttributeAsync(RowName(price.ModelId, price.Tier), new AttributeValue { M = map }, ct);
    }

    /// <summary>Maps an application inference profile ARN to the model id (with its tier prefix) it calls (admin tool only).</summary>
    public Task MapProfileAsync(string profileArn, string modelId, CancellationToken ct) =>
        SetAttributeAsync(ProfilePrefix + profileArn, new AttributeValue { S = modelId }, ct);

    private async Task SetAttributeAsync(string name, AttributeValue value, CancellationToken ct) =>
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = rateLimitsTable,
            Key = Key(),
            UpdateExpression = "SET #a = :v",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#a"] = name },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":v"] = value },
        }, ct).ConfigureAwait(false);

    internal static string RowName(string modelId, PriceTier tier) => RowPrefix + tier.ToString() + "#" + modelId;

    private static ModelPrice? ReadRow(string name, AttributeValue value)
    {
        string rest = name[RowPrefix.Length..];
        int hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0 || !Enum.TryParse(rest[..hash], out PriceTier tier) || value.M is not { } map)
        {
            return null;
        }
        return new ModelPrice(
            rest[(hash + 1)..],
            tier,
            Read(map, "in"),
            Read(map, "out"),
            Read(map, "cr"),
            Read(map, "cw"),
            map.TryGetValue("ver", out AttributeValue? ver) && ver.S is string v ? v : "override")
        {
            CacheWrite1hMicroUsdPerMillion = map.ContainsKey("cw1h") ? Read(map, "cw1h") : null,
            Source = map.TryGetValue("src", out AttributeValue? src) ? src.S : null,
        };
    }

    private static long Read(Dictionary<string, AttributeValue> map, string name) =>
        map.TryGetValue(name, out AttributeValue? value) && value.N is string n ? long.Parse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static Dictionary<string, AttributeValue> Key() => new() { ["pk"] = new AttributeValue { S = PartitionKey } };
}
