namespace BedrockLambdaProxy.Auth;

/// <summary>An item of the customers table.</summary>
internal sealed record CustomerRecord
{
    public required string CustomerId { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public CustomerLimits Limits { get; init; } = CustomerLimits.None;
    /// <summary>Model ids or ARNs the customer may call; empty means any.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    public bool IsActive => Status == CustomerStatus.Active;

    /// <summary>Customer ids: 1-64 of letters, digits, '-', '_' and '.' (they appear in keys of other tables).</summary>
    public static bool IsValidId(string id)
    {
        if (id.Length is 0 or > 64)
        {
            return false;
        }
        foreach (char c in id)
        {
            if (!(Base62.IsDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }
}
