using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// One request format the proxy speaks (the seed's /invoke, /converse, Bedrock-native, OpenAI).
/// The pipeline authenticates and admits; the surface reads the request and talks to Bedrock.
/// </summary>
internal interface ISurface
{
    /// <summary>The name usage records and logs carry (invoke, converse, native-converse, …).</summary>
    string Name { get; }

    ErrorStyle Style { get; }

    /// <summary>Reads the caller's request into a Bedrock call; false with a 4xx error when it cannot.</summary>
    bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error);

    /// <summary>
    /// Calls Bedrock and answers the caller, adding <paramref name="extraHeaders"/> (rate-limit headers)
    /// to whatever it sends. Bedrock failures become answers, not exceptions.
    /// </summary>
    Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call, IReadOnlyList<KeyValuePair<string, string>> extraHeaders);
}
