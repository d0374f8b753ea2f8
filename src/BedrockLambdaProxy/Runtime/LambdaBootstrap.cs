namespace BedrockLambdaProxy.Runtime;

/// <summary>The entry point of the custom runtime: initialise the handler, then serve invocations.</summary>
internal static class LambdaBootstrap
{
    /// <summary>The environment variable Lambda sets to the Runtime API's "host:port".</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>
    /// Set to <c>1</c> or <c>true</c> (benchmarks, investigations): after each invocation the loop logs
    /// the bytes it allocated and the CPU time it used. Off by default; it costs a precise
    /// allocation count per invocation.
    /// </summary>
    public const string ResourceLogVariable = "LOG_INVOCATION_RESOURCES";

    /// <summary>
    /// How long before the invocation deadline the handler's token fires: enough to end a stream
    /// with error trailers (a few hundred bytes to loopback) before Lambda stops the function.
    /// </summary>
    public static readonly TimeSpan DefaultDeadlineMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>The runtime's switch that runs socket completions on its event thread.</summary>
    public const string InlineSocketCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Turns on inline socket completions unless the environment already decides: a finished network
    /// read continues on the thread that saw it, not after a hop to a pool thread, which saves a
    /// thread switch on every read of a streamed answer (measured in bench/RESULTS.md). Safe only
    /// while nothing blocks on that thread: the request path never waits synchronously, and only
    /// with keys in the environment (what Lambda provides), which the SDK's chain takes before any
    /// other source (AWS SDK for .NET V4, "Credential and profile resolution"); profiles, container
    /// and instance credentials may make blocking HTTP calls. Must run before the first socket is used.
    /// </summary>
    public static void PreferInlineSocketCompletions(Func<string, string?> read, Action<string, string> write)
    {
        if (string.IsNullOrEmpty(read(InlineSocketCompletionsVariable))
            && !string.IsNullOrEmpty(read("AWS_ACCESS_KEY_ID"))
            && !string.IsNullOrEmpty(read("AWS_SECRET_ACCESS_KEY")))
        {
            write(InlineSocketCompletionsVariable, "1");
        }
    }

    /// <summary>
    /// Calls <paramref name="createHandler"/> (a failure is posted to /init/error and returns 1),
    /// then answers invocations until <paramref name="cancellationToken"/> is cancelled (returns 0)
    /// or the Runtime API stops answering (returns 1).
    /// </summary>
    public static Task<int> RunAsync(
        string runtimeApiHostPort, Func<IInvocationHandler> createHandler, CancellationToken cancellationToken) =>
        RunAsync(runtimeApiHostPort, createHandler, TimeProvider.System, DefaultDeadlineMargin, cancellationToken);

    /// <summary>As above, with the clock and the deadline margin chosen by the caller (tests).</summary>
    public static async Task<int> RunAsync(
        string runtimeApiHostPort,
        Func<IInvocationHandler> createHandler,
        TimeProvider timeProvider,
        TimeSpan deadlineMargin,
        CancellationToken cancellationToken)
    {
        RuntimeApiEndpoint endpoint;
        try
        {
            endpoint = RuntimeApiEndpoint.Parse(runtimeApiHostPort);
        }
        catch (ArgumentException ex)
        {
            // Without an address there is nobody to post an init error to.
            RuntimeLog.Error($"{RuntimeApiVariable} is not a usable host:port.", null, ex);
            return 1;
        }

        using var client = new RuntimeApiClient(endpoint);
        IInvocationHandler handler;
        try
        {
            handler = createHandler();
        }
        catch (Exception ex)
        {
            RuntimeLog.Error("The function failed to initialise.", null, ex);
            try
            {
                await client.PostInitErrorAsync(ex.GetType().Name, ex.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception postError)
            {
                RuntimeLog.Error("The init error could not be reported to the Runtime API.", null, postError);
            }

            return 1;
        }

        string? resourceLog = Environment.GetEnvironmentVariable(ResourceLogVariable);
        bool logResources = resourceLog == "1" || string.Equals(resourceLog, "true", StringComparison.OrdinalIgnoreCase);
        var loop = new RuntimeLoop(client, timeProvider, deadlineMargin, logResources);
        return await loop.RunAsync(handler, cancellationToken).ConfigureAwait(false);
    }
}
