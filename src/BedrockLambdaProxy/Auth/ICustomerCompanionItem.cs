using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Auth;

/// <summary>
/// An item of another table that the request path needs for a customer as soon as the customer is known (the
/// admission counter item), read in the same BatchGetItem as the customer item when a key is looked up cold. A fresh
/// instance then makes two DynamoDB round trips before its Bedrock call (key; customer + counters) instead of three,
/// and with the counters known the admission write can go out alongside the Bedrock call.
/// </summary>
internal interface ICustomerCompanionItem
{
    /// <summary>The table the item lives in.</summary>
    string TableName { get; }

    /// <summary>Whether the read must be strongly consistent (a conditional write will be built on it).</summary>
    bool ConsistentRead { get; }

    /// <summary>Whether this instance still needs the item for <paramref name="customerId"/>: false once it holds one.</summary>
    bool Wants(string customerId);

    /// <summary>The item's primary key for <paramref name="customerId"/>.</summary>
    Dictionary<string, AttributeValue> KeyFor(string customerId);

    /// <summary>
    /// The item as read (null when it does not exist), with the customer read beside it (null when there is none). Not
    /// called when DynamoDB left either key unprocessed.
    /// </summary>
    void Accept(string customerId, CustomerRecord? customer, Dictionary<string, AttributeValue>? item);

    /// <summary>
    /// The primary key of <paramref name="key"/>'s own counter item, in the same table, when the key has counter limits of
    /// its own and this instance does not hold its counters yet; null otherwise. Read in the same BatchGetItem, so a fresh
    /// instance stays at two round trips for a key with limits too.
    /// </summary>
    Dictionary<string, AttributeValue>? KeyItemFor(ApiKeyRecord key);

    /// <summary>The key's counter item as read (null when it does not exist). Not called when DynamoDB left it unprocessed.</summary>
    void AcceptKeyItem(ApiKeyRecord key, Dictionary<string, AttributeValue>? item);
}
