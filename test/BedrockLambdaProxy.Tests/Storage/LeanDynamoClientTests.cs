using System.Globalization;
using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Signing;
using BedrockLambdaProxy.Storage;
using BedrockLambdaProxy.Storage.Lean;
using Amazon.Runtime.Internal.Auth;
using BedrockLambdaProxy.Tests.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Storage;

/// <summary>
/// The lean DynamoDB transport through the real SigV4 signer onto a scripted transport: the exact wire request of
/// each operation, the answers read into the SDK's types, and every error mapping with its retry decision.
/// </summary>
public sealed class LeanDynamoClientTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 3, 4, 5, TimeSpan.Zero);

    private readonly ScriptedHandler _wire = new();
    private readonly List<TimeSpan> _waits = [];

    private LeanDynamoClient Client(int maxErrorRetry = DynamoClientFactory.MaxErrorRetry, AWSCredentials? credentials = null)
    {
        AmazonDynamoDBConfig config = DynamoClientFactory.CreateConfig("us-east-1", Endpoint);
        config.MaxErrorRetry = maxErrorRetry;
        return DynamoClientFactory.CreateLean("us-east-1", Endpoint, credentials ?? new BasicAWSCredentials("AKIDEXAMPLE", "secret"), config, _wire,
            new ManualTimeProvider(Now), random: () => 0.5, delay: (wait, _) => { _waits.Add(wait); return Task.CompletedTask; });
    }

    private static SigV4Signer Signer() => new(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "us-east-1", "dynamodb", new ManualTimeProvider(Now));

    private string SentBody(int index = 0) => Encoding.UTF8.GetString(_wire.Requests[index].Body);

    [Fact]
    public async Task GetItemAsync_Request_PostsExactJsonSignedForDynamoDb()
    {
        _wire.Then(HttpStatusCode.OK, "{}");
        using LeanDynamoClient client = Client();

        await client.GetItemAsync(new GetItemRequest
        {
            TableName = "customers",
            Key = new() { ["customerId"] = new AttributeValue { S = "c1" } },
            ConsistentRead = true,
            ProjectionExpression = "#s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
        });

        Assert.Equal("POST", _wire.Methods.Single());
        Assert.Equal("/", _wire.Requests[0].Path);
        Assert.Equal(
            """{"TableName":"customers","Key":{"customerId":{"S":"c1"}},"ConsistentRead":true,"ProjectionExpression":"#s","ExpressionAttributeNames":{"#s":"status"}}""",
            SentBody());
        Dictionary<string, string> headers = _wire.Headers[0];
        Assert.Equal("DynamoDB_20120810.GetItem", headers["x-amz-target"]);
        Assert.Equal("application/x-amz-json-1.0", headers["content-type"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", _wire.Requests[0].Authorization, StringComparison.Ordinal);
        Assert.Contains("/us-east-1/dynamodb/aws4_request", _wire.Requests[0].Authorization, StringComparison.Ordinal);
        Assert.Contains("x-amz-target", _wire.Requests[0].Authorization, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_wire.Requests[0].Body)), headers["x-amz-content-sha256"]);
    }

    [Fact]
    public async Task GetItemAsync_AnswerWithEveryType_ReadIntoSdkTypes()
    {
        _wire.Then(HttpStatusCode.OK, """
            {"Item":{"s":{"S":"x"},"n":{"N":"-12"},"b":{"B":"AQI="},"ss":{"SS":["a","b"]},"ns":{"NS":["1"]},"bs":{"BS":["AA=="]},
            "m":{"M":{"in":{"BOOL":true}}},"empty":{"M":{}},"l":{"L":[{"NULL":true},{"S":"y"}]},"f":{"BOOL":false}},
            "ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}
            """);
        using LeanDynamoClient client = Client();

        GetItemResponse response = await client.GetItemAsync(new GetItemRequest { TableName = "t", Key = new() { ["k"] = new AttributeValue { S = "1" } } });

        Dictionary<string, AttributeValue> item = response.Item;
        Assert.Equal("x", item["s"].S);
        Assert.Equal("-12", item["n"].N);
        Assert.Equal(new byte[] { 1, 2 }, item["b"].B.ToArray());
        Assert.Equal(["a", "b"], item["ss"].SS);
        Assert.Equal(["1"], item["ns"].NS);
        Assert.Equal(new byte[] { 0 }, Assert.Single(item["bs"].BS).ToArray());
        Assert.True(item["m"].M["in"].BOOL);
        Assert.True(item["empty"].IsMSet);
        Assert.Empty(item["empty"].M);
        Assert.True(item["l"].L[0].NULL);
        Assert.Equal("y", item["l"].L[1].S);
        Assert.False(item["f"].BOOL);
    }

    [Fact]
    public async Task GetItemAsync_NoItem_ItemNull()
    {
        _wire.Then(HttpStatusCode.OK, "{}");
        using LeanDynamoClient client = Client();

        GetItemResponse response = await client.GetItemAsync(new GetItemRequest { TableName = "t", Key = new() { ["k"] = new AttributeValue { S = "1" } } });

        Assert.Null(response.Item);
    }

    [Fact]
    public async Task PutItemAsync_Request_PostsExactJson()
    {
        _wire.Then(HttpStatusCode.OK, """{"Attributes":{"k":{"S":"old"}}}""");
        using LeanDynamoClient client = Client();

        PutItemResponse response = await client.PutItemAsync(new PutItemRequest
        {
            TableName = "usage",
            Item = new()
            {
                ["k"] = new AttributeValue { S = "r1" },
                ["n"] = new AttributeValue { N = "42" },
                ["b"] = new AttributeValue { B = new MemoryStream([0xff]) },
                ["l"] = new AttributeValue { L = [new AttributeValue { S = "a" }], IsLSet = true },
                ["m"] = new AttributeValue { M = [], IsMSet = true },
                ["t"] = new AttributeValue { BOOL = true },
                ["z"] = new AttributeValue { NULL = true },
                ["ss"] = new AttributeValue { SS = ["p", "q"] },
            },
            ConditionExpression = "attribute_not_exists(#k)",
            ExpressionAttributeNames = new() { ["#k"] = "k" },
            ReturnValues = ReturnValue.ALL_OLD,
        });

        Assert.Equal(
            """{"TableName":"usage","Item":{"k":{"S":"r1"},"n":{"N":"42"},"b":{"B":"/w=="},"l":{"L":[{"S":"a"}]},"m":{"M":{}},"t":{"BOOL":true},"z":{"NULL":true},"ss":{"SS":["p","q"]}},"ConditionExpression":"attribute_not_exists(#k)","ExpressionAttributeNames":{"#k":"k"},"ReturnValues":"ALL_OLD"}""",
            SentBody());
        Assert.Equal("DynamoDB_20120810.PutItem", _wire.Headers[0]["x-amz-target"]);
        Assert.Equal("old", response.Attributes["k"].S);
    }

    [Fact]
    public async Task UpdateItemAsync_Request_PostsExactJson()
    {
        _wire.Then(HttpStatusCode.OK, """{"Attributes":{"rc":{"N":"3"}}}""");
        using LeanDynamoClient client = Client();

        UpdateItemResponse response = await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "limits",
            Key = new() { ["pk"] = new AttributeValue { S = "c1" }, ["sk"] = new AttributeValue { S = "counter" } },
            UpdateExpression = "ADD rc :one",
            ConditionExpression = "rc < :max",
            ExpressionAttributeValues = new() { [":one"] = new AttributeValue { N = "1" }, [":max"] = new AttributeValue { N = "5" } },
            ReturnValues = ReturnValue.ALL_NEW,
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        });

        Assert.Equal(
            """{"TableName":"limits","Key":{"pk":{"S":"c1"},"sk":{"S":"counter"}},"UpdateExpression":"ADD rc :one","ConditionExpression":"rc \u003C :max","ExpressionAttributeValues":{":one":{"N":"1"},":max":{"N":"5"}},"ReturnValues":"ALL_NEW","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}""",
            SentBody());
        Assert.Equal("DynamoDB_20120810.UpdateItem", _wire.Headers[0]["x-amz-target"]);
        Assert.Equal("3", response.Attributes["rc"].N);
    }

    [Fact]
    public async Task BatchGetItemAsync_Request_PostsExactJsonAndReadsResponsesAndUnprocessedKeys()
    {
        _wire.Then(HttpStatusCode.OK, """
            {"Responses":{"customers":[{"customerId":{"S":"c1"}}],"limits":[]},
             "UnprocessedKeys":{"limits":{"Keys":[{"pk":{"S":"c1"}}],"ConsistentRead":true}}}
            """);
        using LeanDynamoClient client = Client();

        BatchGetItemResponse response = await client.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                ["customers"] = new KeysAndAttributes { Keys = [new() { ["customerId"] = new AttributeValue { S = "c1" } }], ConsistentRead = false },
                ["limits"] = new KeysAndAttributes { Keys = [new() { ["pk"] = new AttributeValue { S = "c1" } }], ConsistentRead = true },
            },
        });

        Assert.Equal(
            """{"RequestItems":{"customers":{"Keys":[{"customerId":{"S":"c1"}}],"ConsistentRead":false},"limits":{"Keys":[{"pk":{"S":"c1"}}],"ConsistentRead":true}}}""",
            SentBody());
        Assert.Equal("DynamoDB_20120810.BatchGetItem", _wire.Headers[0]["x-amz-target"]);
        Assert.Equal("c1", Assert.Single(response.Responses["customers"])["customerId"].S);
        Assert.Empty(response.Responses["limits"]);
        KeysAndAttributes unprocessed = response.UnprocessedKeys["limits"];
        Assert.Equal("c1", Assert.Single(unprocessed.Keys)["pk"].S);
        Assert.True(unprocessed.ConsistentRead);
    }

    [Fact]
    public async Task UpdateItemAsync_ConditionFailedWithItem_ThrowsWithItemNotRetried()
    {
        _wire.Then(HttpStatusCode.BadRequest,
            """{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"rc":{"N":"5"}}}""",
            ("x-amzn-RequestId", "REQ1"));
        using LeanDynamoClient client = Client();

        var failed = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => client.UpdateItemAsync(Update()));

        Assert.Equal("5", failed.Item["rc"].N);
        Assert.Equal("ConditionalCheckFailedException", failed.ErrorCode);
        Assert.Equal("The conditional request failed", failed.Message);
        Assert.Equal("REQ1", failed.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.Equal(ErrorType.Sender, failed.ErrorType);
        Assert.Single(_wire.Requests);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task UpdateItemAsync_ConditionFailedWithoutItem_ItemNull()
    {
        _wire.Then(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}""");
        using LeanDynamoClient client = Client();

        var failed = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => client.UpdateItemAsync(Update()));

        Assert.Null(failed.Item);
    }

    [Theory]
    [InlineData("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", 400)]
    [InlineData("com.amazon.coral.availability#ThrottlingException", 400)]
    [InlineData("com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", 400)]
    [InlineData("com.amazonaws.dynamodb.v20120810#InternalServerError", 500)]
    [InlineData(null, 503)]
    public async Task UpdateItemAsync_RetryableThenOk_RetriedAfterJitteredBackoff(string? type, int status)
    {
        _wire.Then((HttpStatusCode)status, type is null ? "<html>busy</html>" : $$"""{"__type":"{{type}}","message":"slow down"}""")
            .Then(HttpStatusCode.OK, """{"Attributes":{"rc":{"N":"1"}}}""");
        using LeanDynamoClient client = Client();

        UpdateItemResponse response = await client.UpdateItemAsync(Update());

        Assert.Equal("1", response.Attributes["rc"].N);
        Assert.Equal(2, _wire.Requests.Count);
        Assert.Equal(SentBody(0), SentBody(1));
        // random 0.5 × min(2^0 s, 20 s)
        Assert.Equal([TimeSpan.FromMilliseconds(500)], _waits);
    }

    [Fact]
    public async Task UpdateItemAsync_ThrottledEveryAttempt_ThrowsAfterMaxErrorRetryRetries()
    {
        const string Throttled = """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"rate"}""";
        _wire.Then(HttpStatusCode.BadRequest, Throttled).Then(HttpStatusCode.BadRequest, Throttled).Then(HttpStatusCode.BadRequest, Throttled);
        using LeanDynamoClient client = Client();

        var failed = await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() => client.UpdateItemAsync(Update()));

        Assert.Equal("ProvisionedThroughputExceededException", failed.ErrorCode);
        Assert.Equal(1 + DynamoClientFactory.MaxErrorRetry, _wire.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000)], _waits);
    }

    [Theory]
    [InlineData("com.amazon.coral.validate#ValidationException", 400, typeof(AmazonDynamoDBException), "ValidationException")]
    [InlineData("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400, typeof(ResourceNotFoundException), "ResourceNotFoundException")]
    [InlineData("com.amazon.coral.service#AccessDeniedException", 400, typeof(AmazonDynamoDBException), "AccessDeniedException")]
    [InlineData("com.amazonaws.dynamodb.v20120810#TransactionConflictException", 400, typeof(TransactionConflictException), "TransactionConflictException")]
    [InlineData("com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException", 400, typeof(ItemCollectionSizeLimitExceededException), "ItemCollectionSizeLimitExceededException")]
    [InlineData(null, 403, typeof(AmazonDynamoDBException), "UnknownError")]
    public async Task PutItemAsync_ClientError_MappedAndNotRetried(string? type, int status, Type expected, string code)
    {
        _wire.Then((HttpStatusCode)status, type is null ? "Forbidden" : $$"""{"__type":"{{type}}","Message":"no"}""");
        using LeanDynamoClient client = Client();

        var failed = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => client.PutItemAsync(Put()));

        Assert.Equal(expected, failed.GetType());
        Assert.Equal(code, failed.ErrorCode);
        Assert.Equal((HttpStatusCode)status, failed.StatusCode);
        Assert.Single(_wire.Requests);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task PutItemAsync_ServerErrorEveryAttempt_ThrowsReceiverError()
    {
        const string Internal = """{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"oops"}""";
        _wire.Then(HttpStatusCode.InternalServerError, Internal).Then(HttpStatusCode.InternalServerError, Internal)
            .Then(HttpStatusCode.InternalServerError, Internal);
        using LeanDynamoClient client = Client();

        var failed = await Assert.ThrowsAsync<InternalServerErrorException>(() => client.PutItemAsync(Put()));

        Assert.Equal(ErrorType.Receiver, failed.ErrorType);
        Assert.Equal(3, _wire.Requests.Count);
    }

    [Fact]
    public async Task GetItemAsync_ConnectionRefusedThenOk_Retried()
    {
        _wire.ThenThrow(new HttpRequestException("refused")).Then(HttpStatusCode.OK, """{"Item":{"k":{"S":"1"}}}""");
        using LeanDynamoClient client = Client();

        GetItemResponse response = await client.GetItemAsync(new GetItemRequest { TableName = "t", Key = new() { ["k"] = new AttributeValue { S = "1" } } });

        Assert.Equal("1", response.Item["k"].S);
        Assert.Equal(2, _wire.Requests.Count);
    }

    [Fact]
    public async Task GetItemAsync_AnswerFailsItsCrc32ThenIntact_RetriedAndTheIntactAnswerRead()
    {
        const string Damaged = """{"Item":{"k":{"S":"2"}}}""";
        const string Intact = """{"Item":{"k":{"S":"1"}}}""";
        // Each answer carries the CRC32 of the intact body: the first body was damaged on the way.
        string crc = Crc32.Compute(Encoding.UTF8.GetBytes(Intact)).ToString(CultureInfo.InvariantCulture);
        _wire.Then(HttpStatusCode.OK, Damaged, ("x-amz-crc32", crc)).Then(HttpStatusCode.OK, Intact, ("x-amz-crc32", crc));
        using LeanDynamoClient client = Client();

        GetItemResponse response = await client.GetItemAsync(new GetItemRequest { TableName = "t", Key = new() { ["k"] = new AttributeValue { S = "1" } } });

        Assert.Equal("1", response.Item["k"].S);
        Assert.Equal(2, _wire.Requests.Count);
    }

    [Fact]
    public async Task GetItemAsync_AnswerFailsItsCrc32EveryAttempt_ThrowsIOException()
    {
        _wire.Then(HttpStatusCode.OK, "{}", ("x-amz-crc32", "1")).Then(HttpStatusCode.OK, "{}", ("x-amz-crc32", "1"))
            .Then(HttpStatusCode.OK, "{}", ("x-amz-crc32", "1"));
        using LeanDynamoClient client = Client();

        await Assert.ThrowsAsync<IOException>(() =>
            client.GetItemAsync(new GetItemRequest { TableName = "t", Key = new() { ["k"] = new AttributeValue { S = "1" } } }));

        Assert.Equal(3, _wire.Requests.Count);
    }

    [Fact]
    public async Task GetItemAsync_ConnectionRefusedEveryAttempt_ThrowsHttpRequestException()
    {
        _wire.ThenThrow(new HttpRequestException("refused")).ThenThrow(new HttpRequestException("refused"))
            .ThenThrow(new HttpRequestException("refused"));
        using LeanDynamoClient client = Client();

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.GetItemAsync(new GetItemRequest { TableName = "t", Key = new() { ["k"] = new AttributeValue { S = "1" } } }));

        Assert.Equal(3, _wire.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_AttemptNeverAnswers_TimeoutExceptionAfterEveryAttempt()
    {
        var hung = new TaskCompletionSource();
        _wire.ThenHang(hung).ThenHang(new TaskCompletionSource()).ThenHang(new TaskCompletionSource());
        var waits = new List<TimeSpan>();
        using var transport = new DynamoTransport(Endpoint, _wire, Signer(), TimeSpan.FromMilliseconds(50), 2, () => 0,
            (wait, _) => { waits.Add(wait); return Task.CompletedTask; });

        await Assert.ThrowsAsync<TimeoutException>(() =>
            transport.SendAsync("GetItem", "{}"u8.ToArray(), DynamoResponseJson.ReadGetItem, CancellationToken.None));

        Assert.True(hung.Task.IsCompleted);
        Assert.Equal(3, _wire.Requests.Count);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringAttempt_NotRetried()
    {
        var aborted = new TaskCompletionSource();
        _wire.ThenHang(aborted).Then(HttpStatusCode.OK, "{}");
        using var caller = new CancellationTokenSource();
        using var transport = new DynamoTransport(Endpoint, _wire, Signer(), TimeSpan.FromMinutes(1), 2, () => 0, (_, _) => Task.CompletedTask);

        Task<GetItemResponse> call = transport.SendAsync("GetItem", "{}"u8.ToArray(), DynamoResponseJson.ReadGetItem, caller.Token);
        while (_wire.Requests.Count == 0)
        {
            await Task.Delay(5);
        }
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(aborted.Task.IsCompleted);
        Assert.Single(_wire.Requests);
    }

    [Fact]
    public async Task GetItemAsync_LegacyField_LeftToTheSdk()
    {
        using LeanDynamoClient client = Client(maxErrorRetry: 0);

        // ReturnConsumedCapacity is not written by the lean transport: the SDK sends it (to a closed port here).
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetItemAsync(new GetItemRequest
        {
            TableName = "t",
            Key = new() { ["k"] = new AttributeValue { S = "1" } },
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        }));

        Assert.Empty(_wire.Requests);
    }

    [Fact]
    public async Task PutItemAsync_ValueWithNoType_ArgumentExceptionBeforeSending()
    {
        using LeanDynamoClient client = Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.PutItemAsync(new PutItemRequest
        {
            TableName = "t",
            Item = new() { ["k"] = new AttributeValue() },
        }));

        Assert.Empty(_wire.Requests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("FQoGZXIvYXdzEXAMPLETOKEN")]
    public async Task SignAsync_Request_SameSignatureAsTheSdksSigV4(string? sessionToken)
    {
        _wire.Then(HttpStatusCode.OK, "{}");
        AWSCredentials credentials = sessionToken is null
            ? new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            : new SessionAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken);
        using LeanDynamoClient client = Client(credentials: credentials);

        await client.GetItemAsync(new GetItemRequest { TableName = "t", Key = new() { ["k"] = new AttributeValue { S = "1" } } });

        // The canonical request as the SigV4 specification spells it, over the headers that were sent; the judge of
        // the signature is AWSSDK.Core's own SigV4 computation.
        Dictionary<string, string> sent = _wire.Headers[0];
        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = sent["content-type"],
            ["host"] = Endpoint.Authority,
            ["x-amz-content-sha256"] = sent["x-amz-content-sha256"],
            ["x-amz-date"] = sent["x-amz-date"],
            ["x-amz-target"] = sent["x-amz-target"],
        };
        if (sessionToken is not null)
        {
            signed["x-amz-security-token"] = sent["x-amz-security-token"];
            Assert.Equal(sessionToken, sent["x-amz-security-token"]);
        }
        Assert.Equal("20261205T030405Z", sent["x-amz-date"]);
        string canonical = "POST\n/\n\n" + string.Concat(signed.Select(h => $"{h.Key}:{h.Value}\n")) + "\n"
            + string.Join(';', signed.Keys) + "\n" + sent["x-amz-content-sha256"];
        AWS4SigningResult expected = AWS4Signer.ComputeSignature(
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", Now.UtcDateTime, "dynamodb", string.Join(';', signed.Keys), canonical);
        Assert.Equal(expected.ForAuthorizationHeader, _wire.Requests[0].Authorization);
    }

    [Theory]
    [InlineData("us-east-1", "https://dynamodb.us-east-1.amazonaws.com/")]
    [InlineData("us-gov-west-1", "https://dynamodb.us-gov-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://dynamodb.cn-north-1.amazonaws.com.cn/")]
    [InlineData("us-iso-east-1", null)]
    public void RegionalEndpoint_Region_PartitionEndpointOrSdk(string region, string? expected)
    {
        Assert.Equal(expected, DynamoClientFactory.RegionalEndpoint(region)?.ToString());
    }

    private static UpdateItemRequest Update() => new()
    {
        TableName = "limits",
        Key = new() { ["pk"] = new AttributeValue { S = "c1" } },
        UpdateExpression = "ADD rc :one",
        ExpressionAttributeValues = new() { [":one"] = new AttributeValue { N = "1" } },
        ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
    };

    private static PutItemRequest Put() => new()
    {
        TableName = "usage",
        Item = new() { ["k"] = new AttributeValue { S = "r1" } },
    };
}
