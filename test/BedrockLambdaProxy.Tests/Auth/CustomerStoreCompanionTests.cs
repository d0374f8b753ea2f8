using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Storage;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Auth;

/// <summary>A cold key's customer read together with the admission counter item in one BatchGetItem.</summary>
public sealed class CustomerStoreCompanionTests
{
    private const string CounterTable = "counters";
    private readonly InMemoryDynamo _dynamo = new();
    private readonly TableNames _tables = TableNames.Default;
    private readonly RecordingCompanion _companion = new();

    [Fact]
    public async Task GetWithCompanionAsync_BothAnswered_OneBatchAndCompanionGetsItemAndCustomer()
    {
        CustomerStore store = await StoreWithCustomerAsync();
        await _dynamo.PutItemAsync(new PutItemRequest { TableName = CounterTable, Item = new() { ["pk"] = DynamoItem.S("cust#acme"), ["rc"] = DynamoItem.N(7) } });

        CustomerRecord? customer = await store.GetWithCompanionAsync("acme", _companion, null, CancellationToken.None);

        Assert.Equal("acme", customer?.CustomerId);
        Assert.Equal((1, 0), (_dynamo.BatchGetItemCalls, _dynamo.GetItemCalls));
        (string id, CustomerRecord? seenCustomer, Dictionary<string, AttributeValue>? item) = Assert.Single(_companion.Accepted);
        Assert.Equal("acme", id);
        Assert.Same(customer, seenCustomer);
        Assert.Equal("7", item?["rc"].N);
    }

    [Fact]
    public async Task GetWithCompanionAsync_NoCounterItemYet_CompanionToldItIsMissing()
    {
        CustomerStore store = await StoreWithCustomerAsync();

        await store.GetWithCompanionAsync("acme", _companion, null, CancellationToken.None);

        Assert.Null(Assert.Single(_companion.Accepted).Item);
    }

    [Fact]
    public async Task GetWithCompanionAsync_CounterKeyUnprocessed_CustomerReturnedCompanionNotTold()
    {
        CustomerStore store = await StoreWithCustomerAsync();
        _dynamo.UnprocessedTables.Add(CounterTable);

        CustomerRecord? customer = await store.GetWithCompanionAsync("acme", _companion, null, CancellationToken.None);

        Assert.Equal("acme", customer?.CustomerId);
        // Told nothing, the companion reads the item itself when it needs it: "missing" would be a wrong state.
        Assert.Empty(_companion.Accepted);
    }

    [Fact]
    public async Task GetWithCompanionAsync_CustomerKeyUnprocessed_CustomerReadAloneCompanionNotTold()
    {
        CustomerStore store = await StoreWithCustomerAsync();
        _dynamo.UnprocessedTables.Add(_tables.Customers);

        CustomerRecord? customer = await store.GetWithCompanionAsync("acme", _companion, null, CancellationToken.None);

        Assert.Equal("acme", customer?.CustomerId);
        Assert.Equal((1, 1), (_dynamo.BatchGetItemCalls, _dynamo.GetItemCalls));
        Assert.Empty(_companion.Accepted);
    }

    [Fact]
    public async Task GetWithCompanionAsync_UnknownCustomer_NullAndCompanionToldNoCustomer()
    {
        var store = new CustomerStore(_dynamo, _tables);

        CustomerRecord? customer = await store.GetWithCompanionAsync("nobody", _companion, null, CancellationToken.None);

        Assert.Null(customer);
        Assert.Null(Assert.Single(_companion.Accepted).Customer);
    }

    [Fact]
    public async Task GetWithCompanionAsync_KeyWithLimitsOfItsOwn_ItsCounterInTheSameBatchEachItemToItsOwner()
    {
        CustomerStore store = await StoreWithCustomerAsync();
        await _dynamo.PutItemAsync(new PutItemRequest { TableName = CounterTable, Item = new() { ["pk"] = DynamoItem.S("cust#acme"), ["rc"] = DynamoItem.N(7) } });
        await _dynamo.PutItemAsync(new PutItemRequest { TableName = CounterTable, Item = new() { ["pk"] = DynamoItem.S("key#k1"), ["rc"] = DynamoItem.N(3) } });

        await store.GetWithCompanionAsync("acme", _companion, Key(new CustomerLimits(5, null, null, null)), CancellationToken.None);

        Assert.Equal((1, 0), (_dynamo.BatchGetItemCalls, _dynamo.GetItemCalls));
        Assert.Equal("7", Assert.Single(_companion.Accepted).Item?["rc"].N);
        (string keyId, Dictionary<string, AttributeValue>? keyItem) = Assert.Single(_companion.AcceptedKeys);
        Assert.Equal(("k1", "3"), (keyId, keyItem?["rc"].N));
    }

    [Fact]
    public async Task GetWithCompanionAsync_KeyWithoutLimits_NoKeyItemAsked()
    {
        CustomerStore store = await StoreWithCustomerAsync();

        await store.GetWithCompanionAsync("acme", _companion, Key(null), CancellationToken.None);

        Assert.Single(_companion.Accepted);
        Assert.Empty(_companion.AcceptedKeys);
    }

    private static ApiKeyRecord Key(CustomerLimits? limits) => new()
    {
        Digest = "d",
        KeyId = "k1",
        CustomerId = "acme",
        Status = ApiKeyStatus.Active,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Limits = limits,
    };

    private async Task<CustomerStore> StoreWithCustomerAsync()
    {
        var store = new CustomerStore(_dynamo, _tables);
        Assert.True(await store.CreateAsync(new CustomerRecord
        {
            CustomerId = "acme",
            Name = "Acme",
            Status = CustomerStatus.Active,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Limits = new CustomerLimits(60, null, null, null),
            AllowedModels = [],
        }, CancellationToken.None));
        return store;
    }

    private sealed class RecordingCompanion : ICustomerCompanionItem
    {
        public List<(string CustomerId, CustomerRecord? Customer, Dictionary<string, AttributeValue>? Item)> Accepted { get; } = [];

        public string TableName => CounterTable;

        public bool ConsistentRead => true;

        public bool Wants(string customerId) => true;

        public Dictionary<string, AttributeValue> KeyFor(string customerId) => new() { ["pk"] = DynamoItem.S("cust#" + customerId) };

        public void Accept(string customerId, CustomerRecord? customer, Dictionary<string, AttributeValue>? item) =>
            Accepted.Add((customerId, customer, item));

        public List<(string KeyId, Dictionary<string, AttributeValue>? Item)> AcceptedKeys { get; } = [];

        public Dictionary<string, AttributeValue>? KeyItemFor(ApiKeyRecord key) =>
            key.Limits is null ? null : new() { ["pk"] = DynamoItem.S("key#" + key.KeyId) };

        public void AcceptKeyItem(ApiKeyRecord key, Dictionary<string, AttributeValue>? item) => AcceptedKeys.Add((key.KeyId, item));
    }
}
