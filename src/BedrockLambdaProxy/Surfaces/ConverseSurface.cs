using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// <c>POST /converse</c>: a Converse request plus <c>modelId</c> and <c>stream</c>; one schema for every
/// model, tool use included. Streams keep ConverseStream's event names.
/// </summary>
internal sealed class ConverseSurface(UnaryExchange unary, StreamExchange stream) : ISurface
{
    public string Name => "converse";

    public ErrorStyle Style => ErrorStyle.Proxy;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error) =>
        EnvelopeCall.TryPrepare(context, BedrockOperation.Converse, BedrockOperation.ConverseStream, out call, out error);

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call, IReadOnlyList<KeyValuePair<string, string>> extraHeaders) =>
        call.Streams
            ? stream.RunAsync(context, call, Style, extraHeaders)
            : unary.RunAsync(context, call, Style, extraHeaders);
}
