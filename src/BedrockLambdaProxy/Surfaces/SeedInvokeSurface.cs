using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// <c>POST /invoke</c> (and <c>POST /</c>), the seed's format: <c>{"modelId" (or "model"), "stream", …the
/// model's native InvokeModel body}</c>. The native body goes to InvokeModel(WithResponseStream) unchanged.
/// </summary>
internal sealed class SeedInvokeSurface(UnaryExchange unary, StreamExchange stream) : ISurface
{
    public string Name => "invoke";

    public ErrorStyle Style => ErrorStyle.Proxy;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error) =>
        EnvelopeCall.TryPrepare(context, BedrockOperation.InvokeModel, BedrockOperation.InvokeModelWithResponseStream, out call, out error);

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call, IReadOnlyList<KeyValuePair<string, string>> extraHeaders) =>
        call.Streams
            ? stream.RunAsync(context, call, Style, extraHeaders)
            : unary.RunAsync(context, call, Style, extraHeaders);
}
