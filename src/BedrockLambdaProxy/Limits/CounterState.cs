using Amazon.DynamoDBv2.Model;

namespace BedrockLambdaProxy.Limits;

/// <summary>A snapshot of a customer's counter item as last written or read (see <see cref="CounterItem"/>).</summary>
internal sealed record CounterState(
    bool Exists,
    long? Window,
    long RequestsCurrent,
    long RequestsPrevious,
    long TokensCurrent,
    long TokensPrevious,
    long? Day,
    long DayTokens,
    string? Month,
    long MonthTokens,
    long MonthCost = 0)
{
    public static CounterState Missing { get; } = new(false, null, 0, 0, 0, 0, null, 0, null, 0);

    public static CounterState From(Dictionary<string, AttributeValue>? item)
    {
        if (item is null || item.Count == 0)
        {
            return Missing;
        }
        return new CounterState(
            true,
            CounterItem.ReadOptionalNumber(item, CounterItem.Window),
            CounterItem.ReadNumber(item, CounterItem.RequestsCurrent),
            CounterItem.ReadNumber(item, CounterItem.RequestsPrevious),
            CounterItem.ReadNumber(item, CounterItem.TokensCurrent),
            CounterItem.ReadNumber(item, CounterItem.TokensPrevious),
            CounterItem.ReadOptionalNumber(item, CounterItem.Day),
            CounterItem.ReadNumber(item, CounterItem.DayTokens),
            item.TryGetValue(CounterItem.Month, out AttributeValue? month) ? month.S : null,
            CounterItem.ReadNumber(item, CounterItem.MonthTokens),
            CounterItem.ReadNumber(item, CounterItem.MonthCost));
    }

    /// <summary>
    /// The counters as they apply at minute <paramref name="minute"/>, day and month: what the next
    /// write will see once it has rolled any window that is over.
    /// </summary>
    public WindowView ViewAt(long minute, long day, string month)
    {
        (long reqCur, long tokCur, long reqPrev, long tokPrev) = Window switch
        {
            long w when w == minute => (RequestsCurrent, TokensCurrent, RequestsPrevious, TokensPrevious),
            long w when w == minute - 1 => (0L, 0L, RequestsCurrent, TokensCurrent),
            _ => (0L, 0L, 0L, 0L),
        };
        return new WindowView(
            reqCur,
            reqPrev,
            tokCur,
            tokPrev,
            Day == day ? DayTokens : 0,
            Month == month ? MonthTokens : 0,
            Month == month ? MonthCost : 0);
    }
}
