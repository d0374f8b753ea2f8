using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c>: the request rewritten as for <c>/v1/messages</c>, counted by Bedrock's
/// CountTokens (<c>{"input":{"invokeModel":{"body":"&lt;base64&gt;"}}}</c>,
/// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CountTokens.html) and answered in Anthropic's
/// shape, <c>{"input_tokens": N}</c>. CountTokens takes a foundation model, so an inference profile is counted on the
/// model it runs. Nothing is generated: the usage record carries zero tokens.
/// </summary>
internal sealed class AnthropicCountTokensSurface(UnaryExchange unary, AnthropicSettings settings, JsonLog log) : ISurface
{
    public string Name => "anthropic";

    public ErrorStyle Style => ErrorStyle.Anthropic;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error)
    {
        call = null;
        if (!AnthropicRequestTranslator.TryTranslate(
            context.Request.Body, context.Request.Header("anthropic-beta"), settings, countTokens: true, out AnthropicRequest? request, out error))
        {
            return false;
        }
        AnthropicMessagesSurface.LogDropped(log, context, request!);
        BedrockRequestHeaders headers = BedrockRequestHeaders.From(context.Request.Header) with
        {
            ContentType = "application/json",
            Accept = "application/json",
        };
        call = new BedrockCall(BedrockOperation.CountTokens, FoundationModelId.WithoutProfilePrefix(request!.ModelId), Wrap(request.Body.Span), headers, 0);
        return true;
    }

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call) =>
        unary.RunAsync(context, call, Style, ToAnthropic);

    /// <summary>CountTokens' input: the InvokeModel body, base64.</summary>
    internal static ReadOnlyMemory<byte> Wrap(ReadOnlySpan<byte> invokeBody)
    {
        var buffer = new ArrayBufferWriter<byte>(invokeBody.Length * 4 / 3 + 64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("input");
            json.WriteStartObject("invokeModel");
            json.WriteBase64String("body", invokeBody);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>Bedrock's <c>{"inputTokens": N}</c> → Anthropic's <c>{"input_tokens": N}</c>.</summary>
    internal static ReadOnlyMemory<byte> ToAnthropic(ReadOnlyMemory<byte> bedrockBody)
    {
        long tokens = 0;
        try
        {
            using JsonDocument document = JsonDocument.Parse(bedrockBody);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("inputTokens", out JsonElement count) && count.TryGetInt64(out long n))
            {
                tokens = n;
            }
        }
        catch (JsonException)
        {
            // Bedrock answered 200 with something else: 0 is the honest "no count" in Anthropic's shape.
        }
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("input_tokens", tokens);
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }
}
