using System.Net;
using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.LocalHost.Services;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>
/// The proxy stack with four workers and prices for the simulator's models (PRICES_EXTRA), so
/// dollar budgets can be enforced: $3 per million input tokens, $15 per million output tokens; and the
/// burst and counter reads the budget tests of customers and of keys share.
/// </summary>
public sealed class BudgetStackFixture : ProxyStackFixture
{
    public const string Model = "sim.chunks:4.amazon.nova-lite-v1:0";
    public const long InputMicroUsdPerMillion = 3_000_000;
    public const long OutputMicroUsdPerMillion = 15_000_000;

    internal override Task ConfigureAsync(DevStackOptions options)
    {
        options.Lambda.WorkerCount = 4;
        options.Lambda.FunctionEnvironment["PRICES_EXTRA"] =
            $"{Model}={InputMicroUsdPerMillion},{OutputMicroUsdPerMillion},300000,3750000;amazon.nova-lite-v1:0={InputMicroUsdPerMillion},{OutputMicroUsdPerMillion},0,0";
        return Task.CompletedTask;
    }

    private static readonly string TwoHundredWords = string.Join(' ', Enumerable.Repeat("alpha", 200));

    /// <summary>A ConverseStream request of 200 words (about 200 input tokens) on <see cref="Model"/>.</summary>
    internal static string Stream(int maxTokens) =>
        $$"""{"modelId":"{{Model}}","stream":true,"inferenceConfig":{"maxTokens":{{maxTokens}}},"messages":[{"role":"user","content":[{"text":"{{TwoHundredWords}}"}]}]}""";

    internal static string? Header(HttpResponseMessage answer, string name) =>
        answer.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.Single() : null;

    /// <summary>
    /// Eight streams at once with <paramref name="key"/>, each reserving about 5,700 micro-dollars and costing about 3,600:
    /// more than a two-cent budget plus one request, so admission has to refuse some. Status, body and the budget header.
    /// </summary>
    internal Task<(HttpStatusCode Status, string Body, string? Remaining)[]> EightStreamsAsync(string key, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using HttpResponseMessage answer = await Http.SendAsync(Post(FunctionUrl, "/converse", Stream(300), key), ct);
            return (answer.StatusCode, await answer.Content.ReadAsStringAsync(ct), Header(answer, RateLimitHeaders.BudgetRemaining));
        }));

    /// <summary>The month-cost counter (micro-dollars) of the counter item with this partition key (a customer's, or a key's).</summary>
    internal async Task<long> MonthCostAsync(string partitionKey, CancellationToken ct)
    {
        GetItemResponse item = await Stack.Dynamo.Client.GetItemAsync(new GetItemRequest
        {
            TableName = Stack.Dynamo.Tables.RateLimits,
            Key = CounterItem.ItemKey(partitionKey),
            ConsistentRead = true,
        }, ct);
        return CounterItem.ReadNumber(item.Item, CounterItem.MonthCost);
    }

    /// <summary>Sets this month's spend on the counter item with this partition key, as if its requests had cost that much.</summary>
    internal Task SpendAsync(string partitionKey, long microUsd, CancellationToken ct) =>
        Stack.Dynamo.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Stack.Dynamo.Tables.RateLimits,
            Key = CounterItem.ItemKey(partitionKey),
            UpdateExpression = "SET mc = :spent, mon = :mon",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":spent"] = CounterItem.Number(microUsd),
                [":mon"] = new() { S = CounterItem.MonthOf(DateTimeOffset.UtcNow) },
            },
        }, ct);

    /// <summary>An OpenAI chat completion with <c>max_tokens</c> 1,000 (a reservation of about 0.015 USD): status, body and the budget header.</summary>
    internal async Task<(HttpStatusCode Status, string Body, string? Remaining)> OpenAiChatAsync(string key, CancellationToken ct)
    {
        using HttpResponseMessage answer = await Http.SendAsync(Post(FunctionUrl, "/v1/chat/completions",
            """{"model":"amazon.nova-lite-v1:0","max_tokens":1000,"messages":[{"role":"user","content":"hello"}]}""", key), ct);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync(ct), Header(answer, RateLimitHeaders.BudgetRemaining));
    }
}
