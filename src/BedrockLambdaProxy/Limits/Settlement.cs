namespace BedrockLambdaProxy.Limits;

/// <summary>
/// What one admission charged to the customer's counters (possibly nothing: fail-open, no limits),
/// so the end of the request can correct it with the actual tokens, exactly once.
/// </summary>
internal sealed class Settlement
{
    private int _claimed;

    /// <param name="customerId">Whose counters were charged.</param>
    /// <param name="reservedTokens">Tokens charged up front: the request's <see cref="TokenReservation"/> (input estimate + output cap), or 0 when nothing was charged.</param>
    /// <param name="minute">Minute index the reservation went into.</param>
    /// <param name="day">Day index the reservation went into.</param>
    /// <param name="month">Month (yyyy-MM) the reservation went into.</param>
    /// <param name="reservedCostMicroUsd">Cost charged to the month-cost counter up front (the dollar budget), or 0.</param>
    /// <param name="price">The price the reservation was costed at: settles the actual cost when the record carries none.</param>
    public Settlement(string customerId, long reservedTokens, long minute, long day, string month,
        long reservedCostMicroUsd = 0, Pricing.ModelPrice? price = null)
    {
        ReservedCostMicroUsd = reservedCostMicroUsd;
        Price = price;
        CustomerId = customerId;
        ReservedTokens = reservedTokens;
        Minute = minute;
        Day = day;
        Month = month;
        PartitionKey = CounterItem.PartitionKey(customerId);
    }

    /// <summary>The counter item the reservation went into: the customer's, or an API key's (<see cref="LimitScope.ApiKey"/>).</summary>
    public string PartitionKey { get; init; }

    /// <summary>Whether admission counted the request in the minute's requests (a counted admission), so giving it back removes it.</summary>
    public bool CountedRequest { get; init; }

    public string CustomerId { get; }
    public long ReservedTokens { get; }
    public long Minute { get; }
    public long Day { get; }
    public string Month { get; }
    public long ReservedCostMicroUsd { get; }
    public Pricing.ModelPrice? Price { get; }

    /// <summary>True the first time only: whoever gets it settles (SettleAsync or the usage recorder), never both.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
}
