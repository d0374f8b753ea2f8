namespace BedrockLambdaProxy.Auth;

/// <summary>A customer's limits as stored on the customer item; null means no limit.</summary>
internal sealed record CustomerLimits(
    int? RequestsPerMinute,
    long? TokensPerMinute,
    long? TokensPerDay,
    long? MonthlyTokenQuota)
{
    public static CustomerLimits None { get; } = new(null, null, null, null);
}
