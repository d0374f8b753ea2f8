namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>Waits for state that changes on another thread (a worker restarting); the guard only bounds a failure.</summary>
internal static class Eventually
{
    public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan guard)
    {
        var giveUp = DateTimeOffset.UtcNow + guard;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > giveUp)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; fails naming <paramref name="what"/> otherwise.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var giveUp = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > giveUp)
            {
                throw new Xunit.Sdk.XunitException("never happened: " + what);
            }

            await Task.Delay(100);
        }
    }
}
