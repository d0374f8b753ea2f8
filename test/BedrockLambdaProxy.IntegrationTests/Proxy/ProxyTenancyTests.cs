using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>Keys, limits and usage records, through the real bootstrap against dynalite.</summary>
public sealed class ProxyTenancyTests(ProxyStackFixture stack) : IClassFixture<ProxyStackFixture>
{
    private static string Converse(string model) =>
        $$"""{"modelId":"{{model}}","messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";

    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    [Fact]
    public async Task NoKey_Gets401WithChallenge_AndBedrockNativePathsUseAwsErrorShape()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(stack.FunctionUrl, "converse")) { Content = new StringContent(Converse("amazon.nova-lite-v1:0")) };
        using HttpResponseMessage proxyStyle = await stack.Http.SendAsync(request);
        var native = new HttpRequestMessage(HttpMethod.Post, new Uri(stack.FunctionUrl, "model/amazon.nova-lite-v1%3A0/converse")) { Content = new StringContent("{}") };
        native.Headers.TryAddWithoutValidation("Authorization", "Bearer blp_not_a_real_key");
        using HttpResponseMessage awsStyle = await stack.Http.SendAsync(native);

        Assert.Equal(HttpStatusCode.Unauthorized, proxyStyle.StatusCode);
        Assert.Equal("Bearer", proxyStyle.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, awsStyle.StatusCode);
        Assert.Equal("UnrecognizedClientException", awsStyle.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.True(JsonDocument.Parse(await awsStyle.Content.ReadAsStringAsync()).RootElement.TryGetProperty("message", out _));
    }

    [Fact]
    public async Task RequestsPerMinute_ThirdOfTwo_Gets429WithRetryAfterAndHeaders()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("rpm-two", new CustomerLimits(2, null, null, null), [], Timeout);

        using HttpResponseMessage first = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));
        using HttpResponseMessage second = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));
        using HttpResponseMessage third = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("1", first.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Equal("2", third.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("0", third.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Contains("requests", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelNotOnAllowList_Gets403AndNeverReachesBedrock()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("nova-only", CustomerLimits.None, ["amazon.nova-lite-v1:0"], Timeout);
        int before = stack.Simulator.TotalRequests;

        using HttpResponseMessage denied = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("anthropic.claude-3-haiku-20240307-v1:0"), key));
        using HttpResponseMessage allowed = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(1, stack.Simulator.TotalRequests - before);
    }

    [Fact]
    public async Task WellInsideLimits_OtherInstancesUsedTheQuota_OverlappedCallAnswers429WithNothingFromBedrock()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("overlap", new CustomerLimits(null, null, null, 1_000_000), [], Timeout);
        const string Model = "sim.chunks:3.amazon.nova-lite-v1:0"; // this test's own model id
        string streamed = $$"""{"modelId":"{{Model}}","stream":true,"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""";
        using (HttpResponseMessage first = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", streamed, key)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            await first.Content.ReadAsStringAsync();
        }
        await stack.UsageLineAsync(Model);
        // Other instances (this write stands in for them) used up the month: the worker that served
        // the first request still sees the quota nearly untouched, so it calls Bedrock alongside its
        // admission write, which then fails.
        await stack.Stack.Dynamo.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = stack.Stack.Dynamo.Tables.RateLimits,
            Key = CounterItem.Key("overlap"),
            UpdateExpression = "SET mt = :used",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":used"] = new() { N = "2000000" } },
        }, Timeout);

        // Two workers take turns; four requests reach the stale one at least once.
        var requestIds = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage refused = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", streamed, key));
            string body = await refused.Content.ReadAsStringAsync();
            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
            Assert.Equal("application/json", refused.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Monthly token quota", body, StringComparison.Ordinal);
            Assert.DoesNotContain("contentBlockDelta", body, StringComparison.Ordinal);
            Assert.NotNull(refused.Headers.RetryAfter);
            requestIds.Add(refused.Headers.GetValues("x-request-id").Single());
        }

        const string Cancelled = "admission refused a request whose Bedrock call had started; the call was cancelled";
        bool overlapped = false;
        for (int i = 0; i < 100 && !overlapped; i++)
        {
            overlapped = requestIds.Any(id => stack.LogLines(Cancelled, id).Count > 0);
            await Task.Delay(50);
        }
        Assert.True(overlapped, stack.WorkerLogText());
        // Only the admitted request was billed.
        Assert.Single(stack.UsageLines(Model));
    }

    [Fact]
    public async Task RevokedKey_StopsWorkingWithinTheCacheTime()
    {
        (string key, string keyId) = await stack.Stack.AddCustomerAsync("revoked", CustomerLimits.None, [], Timeout);
        using HttpResponseMessage before = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var tables = stack.Stack.Dynamo.Tables;
        var issuer = new ApiKeyIssuer(new ApiKeyStore(stack.Stack.Dynamo.Client, tables), new CustomerStore(stack.Stack.Dynamo.Client, tables), TimeProvider.System);
        await issuer.RevokeAsync(keyId, Timeout);

        // AUTH_CACHE_SECONDS is 2 in this stack: poll (bounded) until every warm worker has dropped the key.
        HttpStatusCode status = HttpStatusCode.OK;
        for (int i = 0; i < 40 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(250);
            using HttpResponseMessage after = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key));
            status = after.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task UsageRecords_InDynamoDb_EqualBedrocksCountsForUnaryStreamedAndFailed()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("billed", CustomerLimits.None, [], Timeout);
        string streamed = """{"modelId":"amazon.nova-lite-v1:0","stream":true,"messages":[{"role":"user","content":[{"text":"one two three"}]}]}""";

        using (await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key))) { }
        using (HttpResponseMessage s = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", streamed, key))) { await s.Content.ReadAsStringAsync(); }
        using (await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("fault.validation.amazon.nova-lite-v1:0"), key))) { }

        var reader = new UsageReportReader(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.Usage, stack.Stack.Dynamo.Tables.RateLimits);
        string month = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        List<UsageRecord> records = [];
        for (int i = 0; i < 100 && records.Count < 3; i++)
        {
            records = [];
            await foreach (UsageRecord record in reader.ListRecordsAsync("billed", month, Timeout))
            {
                records.Add(record);
            }
            await Task.Delay(50);
        }

        Assert.Equal(3, records.Count);
        UsageRecord unary = records.Single(r => !r.Streamed && r.ErrorType is null);
        Assert.Equal((5, 3), (unary.Tokens!.InputTokens, unary.Tokens.OutputTokens));
        UsageRecord stream = records.Single(r => r.Streamed);
        Assert.Equal((6, 4), (stream.Tokens!.InputTokens, stream.Tokens.OutputTokens));
        UsageRecord failed = records.Single(r => r.ErrorType is not null);
        Assert.Equal(("ValidationException", 400), (failed.ErrorType, failed.HttpStatus));
        Assert.Null(failed.Tokens);
        Assert.All(records, r => Assert.StartsWith("bk_", r.KeyId, StringComparison.Ordinal));

        MonthlyUsage? total = await reader.GetMonthAsync("billed", month, Timeout);
        Assert.Equal(3, total!.Requests);
        Assert.Equal(11, total.InputTokens);
        Assert.Equal(7, total.OutputTokens);
    }

    [Fact]
    public async Task WorkerLogs_NeverContainAKeyItsDigestOrTheAwsSecret()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("secretive", CustomerLimits.None, [], Timeout);
        using (await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-secrets-v1:0"), key))) { }
        using (await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("fault.internal.amazon.nova-lite-v1:0"), key))) { }
        using (await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", Converse("amazon.nova-lite-v1:0"), key + "x"))) { }
        await stack.UsageLineAsync("amazon.nova-lite-secrets-v1:0");

        string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        string[] secrets = [key, digest, stack.ApiKey, stack.Simulator.Options.SecretAccessKey, key.Split('_')[3]];
        Assert.NotEmpty(stack.Stack.Lambda.WorkerLogs);
        foreach (var line in stack.Stack.Lambda.WorkerLogs)
        {
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, line.Text, StringComparison.Ordinal);
            }
        }
    }
}
