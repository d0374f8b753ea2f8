using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

public sealed class AttemptStartLimitTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(4, 1, 30)] // two regions, first attempt: half each
    [InlineData(4, 2, 20)] // three regions: a third each
    [InlineData(2, 2, 30)] // the attempt budget allows only one more, whatever the regions
    public void FairShare_AnotherRegionCouldFollow_TimeLeftSplitEvenly(int attemptsLeft, int regionsLeftToTry, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), AttemptStartLimit.FairShare.For(Minute, attemptsLeft, regionsLeftToTry));
    }

    [Theory]
    [InlineData(4, 0)] // every region tried: this one is the last hope
    [InlineData(1, 3)] // last attempt of the budget
    public void FairShare_NothingCouldFollow_NoLimit(int attemptsLeft, int regionsLeftToTry)
    {
        Assert.Null(AttemptStartLimit.FairShare.For(Minute, attemptsLeft, regionsLeftToTry));
    }

    [Fact]
    public void FairShare_NoDeadlineOrNoTimeLeft_NoLimit()
    {
        Assert.Null(AttemptStartLimit.FairShare.For(null, 4, 1));
        Assert.Null(AttemptStartLimit.FairShare.For(TimeSpan.FromSeconds(-1), 4, 1));
    }

    [Fact]
    public void Fixed_SameForEveryAttempt_NoneNeverLimits()
    {
        var fixedLimit = AttemptStartLimit.Fixed(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), fixedLimit.For(Minute, 4, 1));
        Assert.Equal(TimeSpan.FromSeconds(5), fixedLimit.For(null, 1, 0));
        Assert.Null(AttemptStartLimit.None.For(Minute, 4, 1));
    }
}
