using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// <c>POST /v1/messages</c>: Anthropic's Messages API for Claude Code's gateway mode and the Anthropic SDKs, sent to
/// Bedrock as InvokeModel / InvokeModelWithResponseStream (Claude takes the Messages body natively there) on the same
/// pipeline as every surface: keys, limits, allow-lists, retries and failover, deadline, usage records named
/// <c>anthropic</c> with Bedrock's counts (cache reads and writes included). Unary answers are Bedrock's Messages JSON
/// as it is; streams are Anthropic's own SSE events (docs/ANTHROPIC.md).
/// </summary>
internal sealed class AnthropicMessagesSurface(UnaryExchange unary, StreamExchange stream, AnthropicSettings settings, JsonLog log) : ISurface
{
    public string Name => "anthropic";

    public ErrorStyle Style => ErrorStyle.Anthropic;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error)
    {
        call = null;
        if (!AnthropicRequestTranslator.TryTranslate(
            context.Request.Body, context.Request.Header("anthropic-beta"), settings, countTokens: false, out AnthropicRequest? request, out error))
        {
            return false;
        }
        LogDropped(log, context, request!);
        // Bedrock's guardrail / trace headers pass through as on the other surfaces; the body is always our JSON.
        BedrockRequestHeaders headers = BedrockRequestHeaders.From(context.Request.Header) with
        {
            ContentType = "application/json",
            Accept = request!.Stream ? null : "application/json",
        };
        call = new BedrockCall(
            request.Stream ? BedrockOperation.InvokeModelWithResponseStream : BedrockOperation.InvokeModel,
            request.ModelId, request.Body, headers, request.MaxOutputTokens);
        return true;
    }

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call) =>
        call.Streams
            ? stream.RunAsync(context, call, Style, AnthropicStreamFormat.Instance)
            : unary.RunAsync(context, call, Style);

    /// <summary>One line per request that lost fields or betas, so operators see what their clients send that Bedrock would refuse.</summary>
    internal static void LogDropped(JsonLog log, RequestContext context, AnthropicRequest request)
    {
        if (request.Dropped.Count == 0)
        {
            return;
        }
        log.Write("info", "anthropic request: fields and betas Bedrock does not take were dropped", json =>
        {
            json.WriteString("request_id", context.RequestId);
            json.WriteString("model_id", request.ModelId);
            json.WriteStartArray("dropped");
            foreach (string name in request.Dropped)
            {
                json.WriteStringValue(name);
            }
            json.WriteEndArray();
        });
    }
}
