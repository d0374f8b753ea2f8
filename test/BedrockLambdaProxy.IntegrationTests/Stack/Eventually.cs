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
}
