using System.Globalization;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>Waits for a burst's bookkeeping: the customer's usage records of this month, once all admitted requests are in the aggregate.</summary>
internal static class RecordedUsage
{
    public static async Task<List<UsageRecord>> WaitAsync(ProxyStackFixture stack, string customerId, int admitted, CancellationToken ct)
    {
        var reader = new UsageReportReader(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.Usage, stack.Stack.Dynamo.Tables.RateLimits);
        string month = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        for (int i = 0; i < 200; i++)
        {
            MonthlyUsage? total = await reader.GetMonthAsync(customerId, month, ct);
            if (total is not null && total.Requests >= admitted)
            {
                Assert.Equal(admitted, total.Requests);
                var records = new List<UsageRecord>();
                await foreach (UsageRecord record in reader.ListRecordsAsync(customerId, month, ct))
                {
                    records.Add(record);
                }
                return records;
            }
            await Task.Delay(50, ct);
        }
        throw new Xunit.Sdk.XunitException($"{customerId}: {admitted} requests never all recorded\n{stack.WorkerLogText()}");
    }
}
