using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Limits;

/// <summary>A snapshot of a customer's concurrency item (see <see cref="SlotWrite"/>): request id → slot expiry (Unix ms).</summary>
internal sealed record SlotState(bool HasMap, IReadOnlyDictionary<string, long> Slots)
{
    public static SlotState Missing { get; } = new(false, new Dictionary<string, long>());

    /// <summary>A map with no slot, assumed by an instance that has not seen the customer's item yet.</summary>
    public static SlotState AssumedEmpty { get; } = new(true, new Dictionary<string, long>());

    public static SlotState From(Dictionary<string, AttributeValue>? item)
    {
        if (item is null || !item.TryGetValue(SlotWrite.SlotsAttribute, out AttributeValue? slots) || slots.M is null)
        {
            return Missing;
        }
        var map = new Dictionary<string, long>(slots.M.Count, StringComparer.Ordinal);
        foreach ((string requestId, AttributeValue expiry) in slots.M)
        {
            // A value that is not a number cannot be pinned by a condition; treating it as live is the safe side.
            map[requestId] = long.TryParse(expiry.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms) ? ms : long.MaxValue;
        }
        return new SlotState(true, map);
    }

    /// <summary>Slots still held at <paramref name="nowMs"/>.</summary>
    public int LiveAt(long nowMs) => Slots.Count(slot => slot.Value > nowMs);
}
