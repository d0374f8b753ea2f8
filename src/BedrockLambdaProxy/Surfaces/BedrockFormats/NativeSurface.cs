using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.BedrockFormats;

/// <summary>
/// Bedrock Runtime's own API (<c>POST /model/{modelId}/converse</c>, <c>/converse-stream</c>, <c>/invoke</c>,
/// <c>/invoke-with-response-stream</c>, <c>/count-tokens</c>), byte-compatible so an unmodified AWS SDK with a Bedrock API
/// key (the customer's proxy key) works: bodies, headers and event-stream frames pass through.
/// </summary>
internal sealed class NativeSurface(BedrockOperation operation, UnaryExchange unary, EventStreamExchange stream) : ISurface
{
    public string Name { get; } = "native-" + operation.PathSuffix().TrimStart('/');

    public ErrorStyle Style => ErrorStyle.Aws;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error)
    {
        call = null;
        string? modelId = context.RouteValues.GetValueOrDefault("modelId");
        if (!ModelId.TryValidate(modelId, out string problem))
        {
            error = ApiError.BadRequest(problem);
            return false;
        }

        long reserved = 0;
        // CountTokens bodies are JSON too ({"input":{…}}); nothing in them is reserved, as nothing is generated.
        bool alwaysJson = operation is BedrockOperation.Converse or BedrockOperation.ConverseStream or BedrockOperation.CountTokens;
        // Converse and CountTokens bodies are always JSON. InvokeModel bodies are the model's own format, passed
        // through whatever they are, but read for a max-tokens field whatever their Content-Type says: a caller must
        // not lower its reservation by mislabelling a JSON body. A body labelled JSON must be JSON (400 otherwise);
        // one labelled otherwise that is not JSON reserves the model family's default output, and Bedrock judges it.
        bool declaredJson = alwaysJson || IsJson(context.Request.Header("content-type"));
        if (declaredJson || LooksLikeJsonObject(context.Request.Body.Span))
        {
            if (!JsonBody.TryParseObject(context.Request.Body, out JsonDocument? document, out ApiError? invalid))
            {
                if (declaredJson)
                {
                    error = invalid;
                    return false;
                }
                document = null;
            }
            using (document)
            {
                if (document is not null && !MaxTokensField.TryRead(document.RootElement, out reserved, out error))
                {
                    return false;
                }
            }
        }
        call = new BedrockCall(operation, modelId, context.Request.Body, BedrockRequestHeaders.From(context.Request.Header), reserved);
        error = null;
        return true;
    }

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call) =>
        call.Streams
            ? stream.RunAsync(context, call)
            : unary.RunAsync(context, call, Style);

    private static bool IsJson(string? contentType) =>
        contentType is null || contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the body starts (after whitespace) with '{': anything else cannot hold a max-tokens field.</summary>
    private static bool LooksLikeJsonObject(ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> trimmed = body.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'{';
    }
}
