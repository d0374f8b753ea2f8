using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.BedrockFormats;

/// <summary>
/// The proxy's own envelope formats: <c>POST /invoke</c> (and <c>POST /</c>, the seed's format: the model's
/// native InvokeModel body) and <c>POST /converse</c> (a Converse request), each with <c>modelId</c>
/// (or <c>model</c>) and <c>stream</c>. Streams go out as SSE, or as a chunk array on buffered fronts.
/// </summary>
internal sealed class EnvelopeSurface(
    string name, BedrockOperation unaryOperation, BedrockOperation streamOperation, UnaryExchange unary, StreamExchange stream)
    : ISurface
{
    public string Name => name;

    public ErrorStyle Style => ErrorStyle.Proxy;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error)
    {
        call = null;
        if (!ProxyEnvelope.TryRead(context.Request.Body, out ProxyEnvelope? envelope, out error))
        {
            return false;
        }
        if (!ModelId.TryValidate(envelope!.ModelId, out string problem))
        {
            error = ApiError.BadRequest(problem);
            return false;
        }
        // Pass through the guardrail / trace / latency headers Bedrock reads, so callers of the
        // envelope formats can use them too. For streams, Accept would describe the HTTP body
        // (an event stream), so only unary calls name JSON.
        BedrockRequestHeaders headers = BedrockRequestHeaders.From(context.Request.Header) with
        {
            ContentType = "application/json",
            Accept = envelope.Stream ? null : "application/json",
        };
        call = new BedrockCall(
            envelope.Stream ? streamOperation : unaryOperation, envelope.ModelId, envelope.UpstreamBody, headers, envelope.MaxOutputTokens);
        return true;
    }

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call) =>
        call.Streams
            ? stream.RunAsync(context, call, Style)
            : unary.RunAsync(context, call, Style);
}
