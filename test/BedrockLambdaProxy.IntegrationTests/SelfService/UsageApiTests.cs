using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.OpenAi;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.SelfService;

/// <summary><c>GET /v1/usage</c> through the real bootstrap, dynalite and the simulator: totals, breakdowns, isolation.</summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class UsageApiTests(OpenAiStackFixture stack)
{
    private const string Nova = "amazon.nova-lite-v1:0";
    private const string Haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task Get_RequestsOnTwoKeysAndTwoModels_TotalsAndBreakdownsMatchTheRecords()
    {
        string customer = "usage-" + Guid.NewGuid().ToString("N")[..8];
        (string key1, string keyId1) = await stack.Stack.AddCustomerAsync(customer, CustomerLimits.None, [], Timeout);
        (string key2, string keyId2) = await IssueKeyAsync(customer);
        await ConverseAsync(key1, Nova, "Hello there", stream: false);
        await ConverseAsync(key1, Haiku, "How are you today", stream: true);
        await ConverseAsync(key2, Nova, "One two three four five", stream: true);
        List<UsageRecord> records = await RecordsAsync(customer, 3);

        // The second key sees its customer's whole month, the first key's requests included.
        using JsonDocument usage = await GetUsageAsync(stack.FunctionUrl, key2);
        JsonElement root = usage.RootElement;

        string month = CounterItem.MonthOf(records[0].Timestamp);
        Assert.Equal(month, root.GetProperty("month").GetString());
        Assert.Equal(customer, root.GetProperty("customerId").GetString());
        Assert.False(root.GetProperty("truncated").GetBoolean());
        Assert.Equal(3, root.GetProperty("recordsRead").GetInt64());
        AssertTally(records, root.GetProperty("totals"));
        AssertBreakdown(root, "byModel", "modelId", records, r => r.ModelId, [Nova, Haiku]);
        AssertBreakdown(root, "byKey", "keyId", records, r => r.KeyId, new[] { keyId1, keyId2 }.Order(StringComparer.Ordinal).ToArray());
        string[] days = records.Select(r => r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd")).Distinct().Order(StringComparer.Ordinal).ToArray();
        AssertBreakdown(root, "byDay", "date", records, r => r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd"), days);
        Assert.True(root.GetProperty("totals").GetProperty("inputTokens").GetInt64() > 0);

        // The explicit month answers the same; another month is empty, not an error.
        using JsonDocument explicitMonth = await GetUsageAsync(stack.FunctionUrl, key1, "?month=" + month);
        Assert.Equal(root.GetProperty("totals").GetRawText(), explicitMonth.RootElement.GetProperty("totals").GetRawText());
        using JsonDocument empty = await GetUsageAsync(stack.ApiGatewayUrl, key1, "?month=2001-02");
        Assert.Equal(0, empty.RootElement.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal(0m, empty.RootElement.GetProperty("totals").GetProperty("costUsd").GetDecimal());
        Assert.Equal(0, empty.RootElement.GetProperty("byDay").GetArrayLength());
    }

    [Fact]
    public async Task Get_TwoCustomers_EachSeesOnlyItsOwnWhateverTheQuery()
    {
        string a = "usage-a-" + Guid.NewGuid().ToString("N")[..8], b = "usage-b-" + Guid.NewGuid().ToString("N")[..8];
        (string keyA, string keyIdA) = await stack.Stack.AddCustomerAsync(a, CustomerLimits.None, [], Timeout);
        (string keyB, string keyIdB) = await stack.Stack.AddCustomerAsync(b, CustomerLimits.None, [], Timeout);
        await ConverseAsync(keyA, Nova, "alpha", stream: false);
        await ConverseAsync(keyA, Haiku, "alpha again", stream: false);
        await ConverseAsync(keyB, Nova, "bravo", stream: false);
        await RecordsAsync(a, 2);
        List<UsageRecord> recordsB = await RecordsAsync(b, 1);
        string month = CounterItem.MonthOf(recordsB[0].Timestamp);

        // Parameters naming the other customer or its key are not part of the API and change nothing.
        foreach (string query in new[] { "", "?month=" + month + "&customerId=" + a, "?keyId=" + keyIdA + "&customer=" + a, "?month=" + month + "&month=" + month })
        {
            using HttpResponseMessage response = await stack.Http.SendAsync(Get(stack.FunctionUrl, "v1/usage" + query, keyB));
            string body = await response.Content.ReadAsStringAsync();
            if (query.EndsWith("&month=" + month, StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.BadRequest)
            {
                // A repeated parameter may reach the function joined ("2026-12,2026-12"): refused, never widened.
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using JsonDocument usage = JsonDocument.Parse(body);
            Assert.Equal(b, usage.RootElement.GetProperty("customerId").GetString());
            Assert.Equal(1, usage.RootElement.GetProperty("totals").GetProperty("requests").GetInt64());
            Assert.Equal([keyIdB], usage.RootElement.GetProperty("byKey").EnumerateArray().Select(k => k.GetProperty("keyId").GetString()!));
            Assert.DoesNotContain(a, body, StringComparison.Ordinal);
            Assert.DoesNotContain(keyIdA, body, StringComparison.Ordinal);
        }

        using JsonDocument usageA = await GetUsageAsync(stack.ApiGatewayUrl, keyA);
        Assert.Equal(a, usageA.RootElement.GetProperty("customerId").GetString());
        Assert.Equal(2, usageA.RootElement.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.DoesNotContain(keyIdB, usageA.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("26-12")]
    [InlineData("1999-12")]
    [InlineData("")]
    [InlineData("2026-12%23rec")]
    [InlineData("2026-12-01")]
    public async Task Get_BadMonth_Is400WithJsonNamingTheParameter(string month)
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(Get(stack.FunctionUrl, "v1/usage?month=" + month, stack.ApiKey));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("month", error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Get_UnknownKey_Is401WithOpenAiErrorShape()
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(Get(stack.FunctionUrl, "v1/usage", "blp_not_a_real_key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_api_key", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    private static void AssertBreakdown(
        JsonElement root, string property, string nameField, List<UsageRecord> records, Func<UsageRecord, string> by, string[] names)
    {
        JsonElement[] rows = root.GetProperty(property).EnumerateArray().ToArray();
        Assert.Equal(names, rows.Select(r => r.GetProperty(nameField).GetString()!));
        foreach (JsonElement row in rows)
        {
            AssertTally(records.Where(r => by(r) == row.GetProperty(nameField).GetString()).ToList(), row);
        }
    }

    /// <summary>The tally must be the records' sums; cost unknown (null) as soon as one charged record has no cost.</summary>
    private static void AssertTally(List<UsageRecord> records, JsonElement tally)
    {
        Assert.Equal(records.Count, tally.GetProperty("requests").GetInt64());
        Assert.Equal(records.Sum(r => r.Tokens?.InputTokens ?? 0), tally.GetProperty("inputTokens").GetInt64());
        Assert.Equal(records.Sum(r => r.Tokens?.OutputTokens ?? 0), tally.GetProperty("outputTokens").GetInt64());
        Assert.Equal(records.Sum(r => r.Tokens?.CacheReadInputTokens ?? 0), tally.GetProperty("cacheReadInputTokens").GetInt64());
        Assert.Equal(records.Sum(r => r.Tokens?.CacheWriteInputTokens ?? 0), tally.GetProperty("cacheWriteInputTokens").GetInt64());
        Assert.Equal(records.Count(r => r.Estimated), tally.GetProperty("estimatedRequests").GetInt64());
        int unpriced = records.Count(r => r.Tokens is not null && r.CostMicroUsd is null);
        long priced = records.Sum(r => r.CostMicroUsd ?? 0);
        Assert.Equal(unpriced, tally.GetProperty("unpricedRequests").GetInt64());
        Assert.Equal(priced / 1_000_000m, tally.GetProperty("pricedCostUsd").GetDecimal());
        if (unpriced > 0)
        {
            Assert.Equal(JsonValueKind.Null, tally.GetProperty("costUsd").ValueKind);
        }
        else
        {
            Assert.Equal(priced / 1_000_000m, tally.GetProperty("costUsd").GetDecimal());
        }
    }

    private async Task<(string Key, string KeyId)> IssueKeyAsync(string customerId)
    {
        var customers = new CustomerStore(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables);
        var keys = new ApiKeyStore(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables);
        (IssuedApiKey key, ApiKeyRecord record) = await new ApiKeyIssuer(keys, customers, TimeProvider.System).IssueAsync(customerId, null, Timeout);
        return (key.Key, record.KeyId);
    }

    private async Task ConverseAsync(string key, string model, string text, bool stream)
    {
        string body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["modelId"] = model,
            ["stream"] = stream,
            ["messages"] = new[] { new Dictionary<string, object> { ["role"] = "user", ["content"] = new[] { new Dictionary<string, string> { ["text"] = text } } } },
        });
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", body, key));
        await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The customer's records once all <paramref name="count"/> are written (the record follows the answer).</summary>
    private async Task<List<UsageRecord>> RecordsAsync(string customerId, int count)
    {
        var reader = new UsageReportReader(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.Usage, stack.Stack.Dynamo.Tables.RateLimits);
        List<UsageRecord> records = [];
        await Eventually.TrueAsync(async () =>
        {
            records = [];
            await foreach (UsageRecord record in reader.ListRecordsAsync(customerId, CounterItem.MonthOf(DateTimeOffset.UtcNow), Timeout))
            {
                records.Add(record);
            }
            return records.Count == count;
        }, $"{count} usage records for {customerId}");
        return records;
    }

    private async Task<JsonDocument> GetUsageAsync(Uri baseUri, string key, string query = "")
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(Get(baseUri, "v1/usage" + query, key));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return JsonDocument.Parse(body);
    }

    private static HttpRequestMessage Get(Uri baseUri, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}
