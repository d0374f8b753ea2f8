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
    /// Calls Bedrock through <see cref="RequestContext.Admission"/> and answers the caller, adding the
    /// admission's rate-limit headers to whatever it sends. Bedrock failures become answers, not
    /// exceptions; a refusal that arrives while Bedrock is being called is thrown
    /// (<see cref="Limits.AdmissionRefusedException"/>) for the pipeline to answer.
    /// </summary>
    Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call);
}
