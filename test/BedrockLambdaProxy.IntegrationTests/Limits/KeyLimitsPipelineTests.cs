using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.IntegrationTests.Dynamo;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Usage;
using BedrockSimulator;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// An API key's own limits inside its customer's, through the whole request pipeline in-process: the real authenticator,
/// admission and usage recorder on dynalite (round trips counted), the simulator over HTTP. The clock stands still
/// inside one minute, so per-minute windows are exact.
/// </summary>
public sealed class KeyLimitsPipelineTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>, IAsyncLifetime
{
    private const string Converse = """{"modelId":"amazon.nova-lite-v1:0","inferenceConfig":{"maxTokens":50},"messages":[{"role":"user","content":[{"text":"count my tokens"}]}]}""";

    private readonly ManualTimeProvider _time = new(StartOfThisMinute().AddSeconds(5));
    private SimulatorServer? _simulator;
    private BedrockClient? _bedrock;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Port = 0 }, CancellationToken.None);
        _bedrock = new BedrockClient(
            new ProxySettings { Region = "us-east-1", BedrockEndpoint = _simulator.BaseAddress },
            new SocketsHttpHandler(),
            new BasicAWSCredentials("AKIDSIMULATOR", "simulator-secret"),
            new BedrockRetryPolicy(1, TimeProvider.System, () => 0, (_, _) => Task.CompletedTask));
    }

    public async Task DisposeAsync()
    {
        _bedrock?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunAsync_KeyWithoutLimitsOfItsOwn_NoExtraDynamoCall_KeyWithLimitsTwoMoreWritesInParallel()
    {
        var bed = new AuthTestBed(dynamo, dynamo.CreateClient());
        CustomerRecord customer = await bed.CreateCustomerAsync(new CustomerLimits(1000, 1_000_000, null, null));
        IssuedApiKey plain = await bed.IssueAsync(customer.CustomerId);
        (IssuedApiKey limited, _) = await bed.Issuer.IssueAsync(customer.CustomerId, null, CancellationToken.None,
            limits: new CustomerLimits(1000, 1_000_000, null, null));
        ProxyPipeline pipeline = Pipeline(bed);
        // Warm: the keys are cached, and so are both counter items.
        Assert.Equal(200, (await SendAsync(pipeline, plain.Key)).Status);
        Assert.Equal(200, (await SendAsync(pipeline, limited.Key)).Status);

        dynamo.Calls.Reset();
        Assert.Equal(200, (await SendAsync(pipeline, plain.Key)).Status);
        IReadOnlyList<string> unlimitedKey = dynamo.Calls.Snapshot();
        int unlimitedKeyWrites = dynamo.Calls.Writes;
        dynamo.Calls.Reset();
        Assert.Equal(200, (await SendAsync(pipeline, limited.Key)).Status);
        IReadOnlyList<string> limitedKey = dynamo.Calls.Snapshot();

        // As before per-key limits existed: admission, the record, the aggregate with the settlement.
        Assert.Equal(["UpdateItem", "PutItem", "UpdateItem"], unlimitedKey);
        Assert.Equal(3, unlimitedKeyWrites);
        // The key's admission write (beside the customer's) and its settlement (beside the record's writes).
        Assert.Equal(["PutItem", "UpdateItem", "UpdateItem", "UpdateItem", "UpdateItem"], limitedKey.Order(StringComparer.Ordinal));
        Assert.Equal(5, dynamo.Calls.Writes);
    }

    public static TheoryData<string, string> Limits => new()
    {
        { LimitNames.RequestsPerMinute, "requests per minute" },
        { LimitNames.TokensPerMinute, "tokens per minute" },
        { LimitNames.TokensPerDay, "tokens per day" },
        { LimitNames.MonthlyTokenQuota, "Monthly token quota" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task RunAsync_KeysLimitTighterThanCustomers_SecondRequest429NamesTheKey_CustomerReservationGivenBack(string limit, string words)
    {
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync(WithOne(limit, 1_000_000));
        (IssuedApiKey key, _) = await bed.Issuer.IssueAsync(customer.CustomerId, null, CancellationToken.None, limits: WithOne(limit, 1));
        IssuedApiKey other = await bed.IssueAsync(customer.CustomerId);
        ProxyPipeline pipeline = Pipeline(bed);

        Assert.Equal(200, (await SendAsync(pipeline, key.Key)).Status);
        Dictionary<string, AttributeValue> before = await CounterAsync(CounterItem.PartitionKey(customer.CustomerId));
        Answer refused = await SendAsync(pipeline, key.Key);
        Dictionary<string, AttributeValue> after = await CounterAsync(CounterItem.PartitionKey(customer.CustomerId));

        Assert.Equal(429, refused.Status);
        Assert.Contains(words, refused.Body, StringComparison.Ordinal);
        Assert.Contains("for this API key", refused.Body, StringComparison.Ordinal);
        // The customer's write had admitted it: its reservation and request went back.
        Assert.Equal(Numbers(before), Numbers(after));
        // Another key of the same customer is still served.
        Assert.Equal(200, (await SendAsync(pipeline, other.Key)).Status);
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task RunAsync_CustomersLimitTighterThanKeys_SecondRequest429NamesTheCustomer_KeyReservationGivenBack(string limit, string words)
    {
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync(WithOne(limit, 1));
        (IssuedApiKey key, ApiKeyRecord record) = await bed.Issuer.IssueAsync(customer.CustomerId, null, CancellationToken.None, limits: WithOne(limit, 1_000_000));
        ProxyPipeline pipeline = Pipeline(bed);

        Assert.Equal(200, (await SendAsync(pipeline, key.Key)).Status);
        Dictionary<string, AttributeValue> before = await CounterAsync(LimitScope.ApiKey.PartitionKey(record.KeyId));
        Answer refused = await SendAsync(pipeline, key.Key);
        Dictionary<string, AttributeValue> after = await CounterAsync(LimitScope.ApiKey.PartitionKey(record.KeyId));

        Assert.Equal(429, refused.Status);
        Assert.Contains(words, refused.Body, StringComparison.Ordinal);
        Assert.Contains("for this customer", refused.Body, StringComparison.Ordinal);
        Assert.Equal(Numbers(before), Numbers(after));
    }

    [Fact]
    public async Task RunAsync_KeyRpm2UnderCustomerRpm100_HeadersShowTheKeysTighterLimit()
    {
        var bed = new AuthTestBed(dynamo);
        CustomerRecord customer = await bed.CreateCustomerAsync(new CustomerLimits(100, null, null, null));
        (IssuedApiKey key, _) = await bed.Issuer.IssueAsync(customer.CustomerId, null, CancellationToken.None, limits: new CustomerLimits(2, null, null, null));
        ProxyPipeline pipeline = Pipeline(bed);

        Answer first = await SendAsync(pipeline, key.Key);

        Assert.Equal(200, first.Status);
        Assert.Equal("2", first.Headers[RateLimitHeaders.LimitRequests]);
        Assert.Equal("1", first.Headers[RateLimitHeaders.RemainingRequests]);
    }

    private static CustomerLimits WithOne(string limit, long value) => limit switch
    {
        LimitNames.RequestsPerMinute => new CustomerLimits((int)value, null, null, null),
        LimitNames.TokensPerMinute => new CustomerLimits(null, value, null, null),
        LimitNames.TokensPerDay => new CustomerLimits(null, null, value, null),
        _ => new CustomerLimits(null, null, null, value),
    };

    /// <summary>The limit counters of an item (not its monthly aggregates nor its expiry).</summary>
    private static string Numbers(Dictionary<string, AttributeValue> item) =>
        string.Join(",", new[] { "rc", "tc", "dt", "mt" }.Select(n => n + "=" + CounterItem.ReadNumber(item, n)));

    private async Task<Dictionary<string, AttributeValue>> CounterAsync(string partitionKey) =>
        (await dynamo.Client.GetItemAsync(new GetItemRequest
        {
            TableName = dynamo.RateLimitsTable,
            Key = CounterItem.ItemKey(partitionKey),
            ConsistentRead = true,
        })).Item;

    private ProxyPipeline Pipeline(AuthTestBed bed)
    {
        var log = new JsonLog(TextWriter.Null, _time);
        var client = dynamo.CreateClient();
        return new ProxyPipeline(
            bed.NewAuthenticator(),
            new Admission(client, dynamo.RateLimitsTable, _time, failOpen: false, budget: TimeSpan.FromSeconds(30)),
            new UsageRecorder(client, dynamo.UsageTable, dynamo.RateLimitsTable, _time, TextWriter.Null),
            new UsageLog(log),
            log,
            _time);
    }

    private async Task<Answer> SendAsync(ProxyPipeline pipeline, string apiKey)
    {
        var responder = new BufferedResponder();
        RequestContext context = BufferedConverseRequest.Context(responder, apiKey, Converse, _time, "req-key-limits");
        await pipeline.RunAsync(context, new SurfaceSet(_bedrock!, TimeProvider.System).Converse);
        using JsonDocument envelope = JsonDocument.Parse(responder.Payload);
        JsonElement root = envelope.RootElement;
        string body = root.GetProperty("body").GetString() ?? "";
        if (root.TryGetProperty("isBase64Encoded", out JsonElement base64) && base64.GetBoolean())
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("headers", out JsonElement headerObject))
        {
            foreach (JsonProperty header in headerObject.EnumerateObject())
            {
                headers[header.Name] = header.Value.GetString() ?? "";
            }
        }
        return new Answer(root.GetProperty("statusCode").GetInt32(), headers, body);
    }

    private static DateTimeOffset StartOfThisMinute()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
    }

    private sealed record Answer(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>A Runtime API that takes the buffered answer, as Lambda does.</summary>
    private sealed class BufferedResponder : IInvocationResponder
    {
        public byte[] Payload { get; private set; } = [];

        public bool HasResponded => Payload.Length > 0;

        public Task SendBufferedAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            Payload = payload.ToArray();
            return Task.CompletedTask;
        }

        public Task<IStreamedBody> StartHttpStreamAsync(HttpResponsePrelude prelude, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a buffered front never streams");
    }
}
