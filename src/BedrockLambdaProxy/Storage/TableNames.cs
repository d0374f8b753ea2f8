using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Storage;

/// <summary>The four DynamoDB table names the proxy uses, as template.yaml names them.</summary>
internal sealed record TableNames(string Customers, string ApiKeys, string RateLimits, string Usage)
{
    /// <summary>The prefix template.yaml's defaults and ProxySettings' fallbacks share.</summary>
    public const string DefaultPrefix = "bedrock-proxy-";

    public static TableNames Default { get; } = WithPrefix(DefaultPrefix);

    /// <summary>Names a stack's tables "{prefix}customers", "{prefix}api-keys", … .</summary>
    public static TableNames WithPrefix(string prefix)
    {
        return new TableNames(prefix + "customers", prefix + "api-keys", prefix + "rate-limits", prefix + "usage");
    }

    public static TableNames FromSettings(ProxySettings settings)
    {
        return new TableNames(settings.CustomersTable, settings.ApiKeysTable, settings.RateLimitsTable, settings.UsageTable);
    }

    public IReadOnlyList<string> All => [Customers, ApiKeys, RateLimits, Usage];
}
