using Amazon.DynamoDBv2.Model;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Tests.Limits;

public sealed class SlotWriteTests
{
    private const long Now = 1_800_000_000_000;

    [Fact]
    public void Acquire_NoMapYet_CreatesItOnlyIfStillAbsent()
    {
        UpdateItemRequest write = SlotWrite.Acquire("t", "c1", 3, SlotState.Missing, "req-1", Now + 60_000, Now);

        Assert.Equal("conc#c1", write.Key["pk"].S);
        Assert.Equal("SET #s = :mine, expiresAt = :ttl", write.UpdateExpression);
        Assert.Equal("attribute_not_exists(#s)", write.ConditionExpression);
        Assert.Equal((Now + 60_000).ToString(System.Globalization.CultureInfo.InvariantCulture), write.ExpressionAttributeValues[":mine"].M["req-1"].N);
    }

    [Fact]
    public void Acquire_LiveSlotsOnly_AddsMineIfAtMostCapMinusOneEntries()
    {
        var assumed = new SlotState(true, new Dictionary<string, long> { ["a"] = Now + 1, ["b"] = Now + 5_000 });

        UpdateItemRequest write = SlotWrite.Acquire("t", "c1", 3, assumed, "req-1", Now + 60_000, Now);

        Assert.Equal("SET #s.#mine = :exp, expiresAt = :ttl", write.UpdateExpression);
        Assert.Equal("size(#s) <= :max", write.ConditionExpression);
        Assert.Equal("2", write.ExpressionAttributeValues[":max"].N);
        Assert.Equal("req-1", write.ExpressionAttributeNames["#mine"]);
    }

    [Fact]
    public void Acquire_ExpiredSlots_RemovedAndPinnedAndCountedAsRoom()
    {
        var assumed = new SlotState(true, new Dictionary<string, long> { ["dead"] = Now - 1, ["live"] = Now + 9_000, ["gone"] = Now });

        UpdateItemRequest write = SlotWrite.Acquire("t", "c1", 2, assumed, "req-1", Now + 60_000, Now);

        Assert.Equal("SET #s.#mine = :exp, expiresAt = :ttl REMOVE #s.#p0, #s.#p1", write.UpdateExpression);
        Assert.Equal("size(#s) <= :max AND #s.#p0 = :p0 AND #s.#p1 = :p1", write.ConditionExpression);
        // cap 2 − 1 + 2 pruned: the map may hold 3 entries now (two of them the pinned dead ones) and 2 after.
        Assert.Equal("3", write.ExpressionAttributeValues[":max"].N);
        Assert.Equal(["dead", "gone"], new[] { write.ExpressionAttributeNames["#p0"], write.ExpressionAttributeNames["#p1"] }.Order());
    }

    [Fact]
    public void Acquire_ManyExpired_PrunesAtMostTheBatch()
    {
        var slots = Enumerable.Range(0, 60).ToDictionary(i => "dead" + i, i => Now - 1 - i);

        UpdateItemRequest write = SlotWrite.Acquire("t", "c1", 5, new SlotState(true, slots), "req-1", Now + 60_000, Now);

        Assert.Equal(SlotWrite.MaxPrunedPerWrite, write.ExpressionAttributeNames.Keys.Count(k => k.StartsWith("#p", StringComparison.Ordinal)));
        Assert.Equal((5 - 1 + SlotWrite.MaxPrunedPerWrite).ToString(System.Globalization.CultureInfo.InvariantCulture), write.ExpressionAttributeValues[":max"].N);
    }

    [Fact]
    public void Release_RemovesOnlyMyEntry()
    {
        UpdateItemRequest write = SlotWrite.Release("t", "c1", "req-1");

        Assert.Equal("REMOVE #s.#mine", write.UpdateExpression);
        Assert.Equal("attribute_exists(#s)", write.ConditionExpression);
        Assert.Equal("req-1", write.ExpressionAttributeNames["#mine"]);
    }

    [Fact]
    public void SlotState_LiveAt_CountsOnlyUnexpiredSlots()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [SlotWrite.SlotsAttribute] = new()
            {
                M = new Dictionary<string, AttributeValue>
                {
                    ["a"] = new() { N = (Now - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["b"] = new() { N = (Now + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["c"] = new() { S = "garbage" },
                },
            },
        };

        Assert.Equal(2, SlotState.From(item).LiveAt(Now));
        Assert.False(SlotState.From([]).HasMap);
    }
}
