using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.Limits;

/// <summary>The concurrency cap's conditional writes against a real dynalite, with several "instances" racing.</summary>
public sealed class ConcurrencySlotsTests(LimitsDynalite dynamo) : IClassFixture<LimitsDynalite>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private ConcurrencySlots NewInstance() => new(dynamo.CreateClient(), dynamo.RateLimitsTable, _time, TimeSpan.FromSeconds(30));

    private DateTimeOffset Deadline => _time.Now.AddMinutes(15);

    [Fact]
    public async Task TryAcquireAsync_ThreeInstancesRaceForCapOfThree_ExactlyThreeHeld()
    {
        ConcurrencySlots[] instances = [NewInstance(), NewInstance(), NewInstance()];

        bool[] held = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(i => instances[i % 3].TryAcquireAsync("race", 3, "req-" + i, Deadline, CancellationToken.None)))
            .WaitAsync(Generous);

        Assert.Equal(3, held.Count(h => h));
        Assert.Equal(3, (await ReadSlotsAsync("race")).Count);
    }

    [Fact]
    public async Task ReleaseAsync_AfterRelease_AnotherInstanceTakesTheSlot()
    {
        ConcurrencySlots first = NewInstance();
        ConcurrencySlots second = NewInstance();
        Assert.True(await first.TryAcquireAsync("release", 1, "req-a", Deadline, CancellationToken.None));
        Assert.False(await second.TryAcquireAsync("release", 1, "req-b", Deadline, CancellationToken.None));

        Assert.Null(await first.ReleaseAsync("release", "req-a", CancellationToken.None));

        Assert.True(await second.TryAcquireAsync("release", 1, "req-b", Deadline, CancellationToken.None));
        Assert.Equal(["req-b"], (await ReadSlotsAsync("release")).Keys);
    }

    [Fact]
    public async Task TryAcquireAsync_CrashedHolderPastItsDeadline_PrunedAndDoesNotBlock()
    {
        await dynamo.Client.PutItemAsync(new PutItemRequest
        {
            TableName = dynamo.RateLimitsTable,
            Item = new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = "conc#crashed" },
                ["slots"] = new() { M = new Dictionary<string, AttributeValue> { ["crashed-sandbox"] = CounterItem.Number(_time.Now.AddSeconds(-1).ToUnixTimeMilliseconds()) } },
            },
        });
        ConcurrencySlots instance = NewInstance();

        Assert.True(await instance.TryAcquireAsync("crashed", 1, "req-new", Deadline, CancellationToken.None));

        Assert.Equal(["req-new"], (await ReadSlotsAsync("crashed")).Keys);
    }

    [Fact]
    public async Task TryAcquireAsync_HolderStillWithinItsDeadline_Blocks()
    {
        ConcurrencySlots holder = NewInstance();
        Assert.True(await holder.TryAcquireAsync("live", 1, "req-a", _time.Now.AddSeconds(5), CancellationToken.None));

        Assert.False(await NewInstance().TryAcquireAsync("live", 1, "req-b", Deadline, CancellationToken.None));
        _time.Now = _time.Now.AddSeconds(6); // the holder's invocation is over: Lambda ended it
        Assert.True(await NewInstance().TryAcquireAsync("live", 1, "req-c", Deadline, CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_NothingHeld_IsHarmless()
    {
        Assert.Null(await NewInstance().ReleaseAsync("never-capped", "req-x", CancellationToken.None));
    }

    private async Task<Dictionary<string, AttributeValue>> ReadSlotsAsync(string customerId)
    {
        GetItemResponse item = await dynamo.Client.GetItemAsync(new GetItemRequest
        {
            TableName = dynamo.RateLimitsTable,
            Key = SlotWrite.Key(customerId),
            ConsistentRead = true,
        });
        return item.Item["slots"].M;
    }
}
