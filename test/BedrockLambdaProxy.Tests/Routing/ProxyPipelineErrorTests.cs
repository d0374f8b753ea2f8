using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Tests.Routing;

public sealed class ProxyPipelineErrorTests
{
    [Fact]
    public void AdmissionError_Throttled_CarriesExactlyOneRetryAfter()
    {
        var decision = new AdmissionDecision
        {
            IsAdmitted = false,
            Status = 429,
            LimitName = LimitNames.RequestsPerMinute,
            Message = "Over 2 requests per minute.",
            RetryAfter = TimeSpan.FromSeconds(3),
            Headers = [new("x-ratelimit-limit-requests", "2"), new("Retry-After", "3")],
        };

        ProxyResponse response = ErrorResponses.Render(ProxyPipeline.AdmissionError(decision), ErrorStyle.Aws);

        Assert.Single(response.Headers, h => h.Key.Equals("retry-after", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(new KeyValuePair<string, string>("x-amzn-ErrorType", "ThrottlingException"), response.Headers);
        Assert.Contains(new KeyValuePair<string, string>("x-ratelimit-limit-requests", "2"), response.Headers);
    }

    [Theory]
    [InlineData(403, "AccessDeniedException")]
    [InlineData(503, "ServiceUnavailableException")]
    public void AdmissionError_OtherStatuses_MapToAwsTypes(int status, string type)
    {
        var decision = new AdmissionDecision { IsAdmitted = false, Status = status, Headers = [] };

        Assert.Equal(type, ProxyPipeline.AdmissionError(decision).Type);
    }

    [Fact]
    public void AuthError_MissingKey_Is401WithBearerChallenge()
    {
        ApiError error = ProxyPipeline.AuthError(AuthResult.Missing);

        Assert.Equal((401, "UnrecognizedClientException"), (error.StatusCode, error.Type));
        Assert.Contains(new KeyValuePair<string, string>("www-authenticate", "Bearer"), error.ExtraHeaders);
    }

    [Fact]
    public void AuthError_Suspended_Is403AccessDenied()
    {
        ApiError error = ProxyPipeline.AuthError(AuthResult.CustomerSuspended);

        Assert.Equal((403, "AccessDeniedException"), (error.StatusCode, error.Type));
        Assert.Empty(error.ExtraHeaders);
    }

    [Theory]
    [InlineData(60_000, 5_000)]   // far from the deadline: the full budget
    [InlineData(1_750, 1_250)]    // near it: what is left, less the safety gap
    [InlineData(100, 0)]          // past the gap: nothing, so the unwritten line is written at once
    public void BookkeepingBudgetFor_DeadlineNear_NeverRunsPastHardDeadlineLessGap(int msToDeadline, int expectedMs)
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        TimeSpan budget = ProxyPipeline.BookkeepingBudgetFor(now.AddMilliseconds(msToDeadline), now);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), budget);
    }

    [Fact]
    public void BookkeepingBudgetFor_NoDeadline_FullBudget() =>
        Assert.Equal(ProxyPipeline.BookkeepingBudget, ProxyPipeline.BookkeepingBudgetFor(DateTimeOffset.MaxValue, DateTimeOffset.UtcNow));
}
