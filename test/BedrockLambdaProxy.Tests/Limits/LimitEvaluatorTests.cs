using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class LimitEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void FindExceeded_ReservationLargerThanQuotaAndNothingUsed_Admitted()
    {
        var limits = new CustomerLimits(null, null, null, 50);

        Assert.Null(LimitEvaluator.FindExceeded(limits, default, Now, 4_360));
    }

    [Fact]
    public void FindExceeded_ReservationLargerThanQuotaAndOneTokenUsed_Refused()
    {
        var limits = new CustomerLimits(null, null, null, 50);
        var view = new WindowView(0, 0, 0, 0, 0, 1);

        Assert.Equal(LimitNames.MonthlyTokenQuota, LimitEvaluator.FindExceeded(limits, view, Now, 4_360)?.LimitName);
    }

    [Fact]
    public void FindExceeded_ReservationFitsWhatIsLeft_AdmittedExactlyAtTheEdge()
    {
        var limits = new CustomerLimits(null, 1_000, null, null);

        Assert.Null(LimitEvaluator.FindExceeded(limits, new WindowView(0, 0, 600, 0, 0, 0), Now, 400));
        Assert.Equal(LimitNames.TokensPerMinute, LimitEvaluator.FindExceeded(limits, new WindowView(0, 0, 601, 0, 0, 0), Now, 400)?.LimitName);
    }

    [Fact]
    public void Describe_ReservationLargerThanTheLimit_SaysWhenItCanBeAdmitted()
    {
        var limits = new CustomerLimits(null, 1_000, null, 50);

        Assert.Contains("more than the whole limit", LimitEvaluator.Describe(LimitNames.MonthlyTokenQuota, limits, 4_360), StringComparison.Ordinal);
        Assert.DoesNotContain("more than the whole limit", LimitEvaluator.Describe(LimitNames.TokensPerMinute, limits, 400), StringComparison.Ordinal);
    }
}
