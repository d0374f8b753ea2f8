using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>DynamoDB stopped mid-test: fail closed answers 503, fail open admits, and neither hangs.</summary>
public sealed class AdmissionUnavailableTests : IAsyncLifetime
{
    // A failure guard, not a measurement: the admission budget (1.5 s) is what keeps a call short.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly LimitsDynalite _dynamo = new();

    public Task InitializeAsync() => _dynamo.InitializeAsync();

    public Task DisposeAsync() => _dynamo.DisposeAsync();

    [Fact]
    public async Task AdmitAsync_DynamoStopped_FailClosedAnswers503AndFailOpenAdmits()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 24, 13, 0, 5, TimeSpan.Zero));
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(10, 1000, null, null));
        var closed = new Admission(_dynamo.CreateClient(maxErrorRetry: 3), _dynamo.RateLimitsTable, time, failOpen: false);
        var open = new Admission(_dynamo.CreateClient(maxErrorRetry: 3), _dynamo.RateLimitsTable, time, failOpen: true);
        Assert.True((await closed.AdmitAsync(customer, "model-a", 10, CancellationToken.None)).IsAdmitted);
        Assert.True((await open.AdmitAsync(customer, "model-a", 10, CancellationToken.None)).IsAdmitted);

        await _dynamo.StopAsync();

        AdmissionDecision refused = await closed.AdmitAsync(customer, "model-a", 10, CancellationToken.None).WaitAsync(Guard);
        Assert.False(refused.IsAdmitted);
        Assert.Equal(503, refused.Status);
        Assert.Contains("temporarily unavailable", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(refused.Failure);
        Assert.Contains(refused.Headers, h => h.Key == "Retry-After");
        Assert.Contains(refused.Headers, h => h.Key == "x-ratelimit-limit-requests" && h.Value == "10");

        AdmissionDecision admitted = await open.AdmitAsync(customer, "model-a", 10, CancellationToken.None).WaitAsync(Guard);
        Assert.True(admitted.IsAdmitted);
        Assert.Equal(200, admitted.Status);
        Assert.Equal(0, admitted.Settlement!.ReservedTokens); // nothing was charged; settling charges actual tokens
        Assert.NotNull(admitted.Failure);
    }

    [Fact]
    public async Task AdmitAsync_CallerCancels_ThrowsInsteadOfDeciding()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 24, 13, 0, 5, TimeSpan.Zero));
        CustomerContext customer = AdmissionConcurrencyTests.Customer(new CustomerLimits(10, null, null, null));
        var admission = new Admission(_dynamo.CreateClient(), _dynamo.RateLimitsTable, time, failOpen: true);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => admission.AdmitAsync(customer, "model-a", 0, cancelled.Token).WaitAsync(Guard));
    }
}
