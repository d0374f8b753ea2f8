namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Whose limits an <see cref="Admission"/> enforces: the customer's (counter item <c>cust#&lt;customerId&gt;</c>) or one
/// API key's own (<c>key#&lt;keyId&gt;</c>, beside its customer's), and how a refusal names them.
/// </summary>
/// <param name="CounterPrefix">Prefix of the counter item's partition key.</param>
/// <param name="Owner">How refusals name the owner of the limit: "this customer", "this API key".</param>
internal sealed record LimitScope(string CounterPrefix, string Owner)
{
    public static LimitScope Customer { get; } = new("cust#", "this customer");

    /// <summary>Customer ids cannot contain '#', so a key's items never collide with a customer's.</summary>
    public static LimitScope ApiKey { get; } = new("key#", "this API key");

    public string PartitionKey(string id) => CounterPrefix + id;

    /// <summary>Id of the key's concurrency item (<c>conc#key#&lt;keyId&gt;</c>), beside the customer's <c>conc#&lt;customerId&gt;</c>.</summary>
    public string SlotId(string id) => ReferenceEquals(this, Customer) ? id : CounterPrefix + id;
}
