using System.Globalization;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// How long one attempt of a Bedrock call may wait for the response to start (status and headers)
/// before it counts as a timeout and the call moves on, like after throttling. Without a limit, a
/// region that accepts the connection and then says nothing holds the call until its deadline.
/// </summary>
internal readonly record struct AttemptStartLimit
{
    /// <summary>No limit: the attempt may wait until the call's deadline.</summary>
    public static AttemptStartLimit None => default;

    /// <summary>
    /// While another region could still take the call, an attempt gets an equal share of the time left
    /// until the deadline: that time divided by the attempts still possible, counting at most one per
    /// region not yet tried (and not skipped for an open circuit). So a hung region never eats the time the next one needs, and a call with
    /// only one region to go (or only one configured) waits until the deadline as before.
    /// </summary>
    public static AttemptStartLimit FairShare => new() { IsFairShare = true };

    /// <summary>The same limit for every attempt.</summary>
    public static AttemptStartLimit Fixed(TimeSpan limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero);
        return new() { FixedLimit = limit };
    }

    /// <summary>Set for <see cref="Fixed"/>.</summary>
    public TimeSpan? FixedLimit { get; private init; }

    /// <summary>Whether this is <see cref="FairShare"/>.</summary>
    public bool IsFairShare { get; private init; }

    /// <summary>
    /// The limit of one attempt, or null for none.
    /// </summary>
    /// <param name="timeLeft">Until the call's retry deadline; null when the call has none.</param>
    /// <param name="attemptsLeft">This attempt and those the attempt budget still allows after it.</param>
    /// <param name="regionsLeftToTry">Regions this call has not tried yet and could, besides this attempt's.</param>
    public TimeSpan? For(TimeSpan? timeLeft, int attemptsLeft, int regionsLeftToTry)
    {
        if (FixedLimit is { } limit)
        {
            return limit;
        }
        int shares = Math.Min(attemptsLeft, regionsLeftToTry + 1);
        if (!IsFairShare || timeLeft is not { } left || shares < 2 || left <= TimeSpan.Zero)
        {
            return null;
        }
        return left / shares;
    }

    /// <summary>
    /// Reads a setting: <c>auto</c> is <see cref="FairShare"/>, 0 is <see cref="None"/>, a whole number
    /// of seconds up to 900 (Lambda's longest timeout) is <see cref="Fixed"/>; empty is <paramref name="fallback"/>.
    /// </summary>
    public static AttemptStartLimit Parse(string name, string? value, AttemptStartLimit fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }
        if (string.Equals(value, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return FairShare;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds <= 900)
        {
            return seconds == 0 ? None : Fixed(TimeSpan.FromSeconds(seconds));
        }
        throw new InvalidOperationException($"{name} must be 'auto' or a whole number of seconds from 0 to 900, got '{value}'.");
    }

    public override string ToString() =>
        FixedLimit is { } limit ? string.Create(CultureInfo.InvariantCulture, $"{limit.TotalSeconds:0.###} s")
        : IsFairShare ? "auto"
        : "none";
}
