using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class AdmissionWriteTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 30, TimeSpan.Zero);

    private static CounterState SameWindows(long monthTokens) => new(
        true, CounterItem.MinuteOf(Now), 0, 0, 0, 0, CounterItem.DayOf(Now), 0, CounterItem.MonthOf(Now), monthTokens);

    [Fact]
    public void Build_ReservationFitsTheQuota_ChargesItAllAndLeavesRoomForIt()
    {
        UpdateItemRequest write = AdmissionWrite.Build("t", "c", new CustomerLimits(null, null, null, 1000), SameWindows(0), Now, 412);

        Assert.Equal("412", write.ExpressionAttributeValues[":res"].N);
        Assert.Contains("mt :res", write.UpdateExpression, StringComparison.Ordinal);
        Assert.Contains("mt <= :maxMt", write.ConditionExpression, StringComparison.Ordinal);
        Assert.Equal("588", write.ExpressionAttributeValues[":maxMt"].N);
    }

    [Fact]
    public void Build_ReservationLargerThanTheQuota_ChargesItAllButNeedsTheMonthEmpty()
    {
        UpdateItemRequest write = AdmissionWrite.Build("t", "c", new CustomerLimits(null, null, null, 50), SameWindows(0), Now, 4_418);

        Assert.Equal("4418", write.ExpressionAttributeValues[":res"].N);
        Assert.Equal("0", write.ExpressionAttributeValues[":maxMt"].N);
    }

    [Fact]
    public void Build_TokensPerMinute_ThresholdSubtractsTheWholeReservation()
    {
        UpdateItemRequest write = AdmissionWrite.Build("t", "c", new CustomerLimits(null, 1500, null, null), SameWindows(0), Now, 712);

        Assert.Contains("tc <= :maxTc", write.ConditionExpression, StringComparison.Ordinal);
        Assert.Equal("788", write.ExpressionAttributeValues[":maxTc"].N);
    }
}
