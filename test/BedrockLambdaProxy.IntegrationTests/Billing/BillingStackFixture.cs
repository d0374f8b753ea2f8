using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.LocalHost;
using BedrockLambdaProxy.LocalHost.Services;
using BedrockLambdaProxy.Usage;
using BedrockSimulator.Faults;

namespace BedrockLambdaProxy.IntegrationTests.Billing;

/// <summary>
/// The whole stack with a short function timeout (deadlines come quickly) and a DynamoDB that can be
/// slowed on demand (<see cref="SlowDynamo"/>, in front of the function only: the test reads dynalite directly).
/// </summary>
public sealed class BillingStackFixture : ProxyStackFixture
{
    /// <summary>Short: a stream cut by the deadline ends 2 s (the runtime's margin) before it.</summary>
    public override TimeSpan FunctionTimeout => TimeSpan.FromSeconds(5);

    internal DelayingTcpProxy SlowDynamo { get; } = new();

    internal override Task ConfigureAsync(DevStackOptions options)
    {
        options.Lambda.Services.Add(SlowDynamo);
        // Keys stay cached while DynamoDB is slow: only the bookkeeping after the answer meets it.
        options.Lambda.FunctionEnvironment["AUTH_CACHE_SECONDS"] = "600";
        return Task.CompletedTask;
    }

    /// <summary>A customer without token limits: an answer too large for a buffered front is over a million tokens.</summary>
    internal const string BillingCustomerId = "billing";

    internal string BillingKey { get; private set; } = "";

    internal override async Task AfterStartAsync()
    {
        (BillingKey, _) = await Stack.AddCustomerAsync(
            BillingCustomerId, new Auth.CustomerLimits(RequestsPerMinute: 6000, TokensPerMinute: null, TokensPerDay: null, MonthlyTokenQuota: null), [], CancellationToken.None);
        await WarmUpWorkersAsync();
    }

    /// <summary>A POST as the billing customer.</summary>
    internal HttpRequestMessage PostAsBilling(Uri baseUri, string path, string json) => Post(baseUri, path, json, BillingKey);

    /// <summary>The billing customer's month, once its aggregate exists.</summary>
    internal Task<MonthlyUsage?> MonthAsync() =>
        new UsageReportReader(Stack.Dynamo.Client, Stack.Dynamo.Tables.Usage, Stack.Dynamo.Tables.RateLimits)
            .GetMonthAsync(BillingCustomerId, DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);

    /// <summary>The billing customer's usage records of this month, read from dynalite directly.</summary>
    internal async Task<List<UsageRecord>> UsageRecordsAsync()
    {
        var reader = new UsageReportReader(Stack.Dynamo.Client, Stack.Dynamo.Tables.Usage, Stack.Dynamo.Tables.RateLimits);
        var records = new List<UsageRecord>();
        string month = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await foreach (UsageRecord record in reader.ListRecordsAsync(BillingCustomerId, month, CancellationToken.None))
        {
            records.Add(record);
        }
        return records;
    }

    /// <summary>The usage_record_unwritten lines the workers wrote: (pending, record).</summary>
    internal List<(string Pending, JsonElement Record)> UnwrittenLines()
    {
        var lines = new List<(string, JsonElement)>();
        foreach (WorkerLogLine line in Stack.Lambda.WorkerLogs)
        {
            if (line.Text.StartsWith('{') && line.Text.Contains("\"event_type\":\"usage_record_unwritten\"", StringComparison.Ordinal))
            {
                using JsonDocument document = JsonDocument.Parse(line.Text);
                lines.Add((document.RootElement.GetProperty("pending").GetString()!, document.RootElement.GetProperty("record").Clone()));
            }
        }
        return lines;
    }

    internal IReadOnlyList<ServedCall> ServedCalls() => Simulator.ServedCalls();
}
