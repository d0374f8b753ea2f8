using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c>: an OpenAI chat request translated to Converse / ConverseStream
/// and the answer translated back, on the same pipeline as every surface (keys, limits,
/// allow-lists, retries, deadline, usage records named <c>openai</c>).
/// </summary>
internal sealed class OpenAiChatSurface(UnaryExchange unary, StreamExchange stream, TimeProvider time) : ISurface
{
    public string Name => "openai";

    public ErrorStyle Style => ErrorStyle.OpenAi;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error)
    {
        call = null;
        if (!ChatRequestTranslator.TryTranslate(context.Request.Body, out ChatRequest? chat, out error))
        {
            return false;
        }
        // Bedrock's guardrail / trace headers pass through as on the other surfaces; the body is always our JSON.
        BedrockRequestHeaders headers = BedrockRequestHeaders.From(context.Request.Header) with
        {
            ContentType = "application/json",
            Accept = chat!.Stream ? null : "application/json",
        };
        call = new BedrockCall(
            chat.Stream ? BedrockOperation.ConverseStream : BedrockOperation.Converse, chat.Model, chat.ConverseBody, headers, chat.MaxOutputTokens)
        {
            IncludeUsage = chat.IncludeUsage,
        };
        return true;
    }

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call)
    {
        string id = "chatcmpl-" + context.RequestId;
        long created = time.GetUtcNow().ToUnixTimeSeconds();
        return call.Streams
            ? stream.RunAsync(context, call, Style, new ChatStreamFormat(id, created, call.ModelId, call.IncludeUsage))
            : unary.RunAsync(context, call, Style,
                body => ChatCompletionJson.Completion(ConverseStreamReader.FromResponse(body.Span), id, created, call.ModelId));
    }
}
