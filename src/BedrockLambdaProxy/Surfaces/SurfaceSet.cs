using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Surfaces.Anthropic;
using BedrockLambdaProxy.Surfaces.BedrockFormats;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>The request formats the proxy speaks, sharing one Bedrock client.</summary>
/// <param name="anthropic">The Anthropic surface's alias table and forwarding policy; null takes the defaults for us-east-1.</param>
/// <param name="log">Where the Anthropic surface logs the fields and betas it dropped; null for the console.</param>
internal sealed class SurfaceSet(BedrockClient bedrock, TimeProvider time, AnthropicSettings? anthropic = null, JsonLog? log = null)
{
    private readonly AnthropicSettings _anthropic = anthropic ?? AnthropicSettings.Defaults("us-east-1");

    private readonly UnaryExchange _unary = new(bedrock);
    private readonly StreamExchange _stream = new(bedrock, time);
    private readonly EventStreamExchange _eventStream = new(bedrock, time);

    public ISurface SeedInvoke => field ??= new EnvelopeSurface(
        "invoke", BedrockOperation.InvokeModel, BedrockOperation.InvokeModelWithResponseStream, _unary, _stream);

    public ISurface Converse => field ??= new EnvelopeSurface(
        "converse", BedrockOperation.Converse, BedrockOperation.ConverseStream, _unary, _stream);

    /// <summary>OpenAI's chat completions, translated to Converse.</summary>
    public ISurface OpenAiChat => field ??= new OpenAiChatSurface(_unary, _stream, time);

    /// <summary>OpenAI's embeddings, through InvokeModel on Titan and Cohere embedding models.</summary>
    public ISurface OpenAiEmbeddings => field ??= new OpenAiEmbeddingsSurface(new EmbeddingsExchange(bedrock, time));

    /// <summary>Anthropic's Messages API, sent to Bedrock's InvokeModel for Claude.</summary>
    public ISurface AnthropicMessages => field ??= new AnthropicMessagesSurface(_unary, _stream, _anthropic, log ?? JsonLog.Console);

    /// <summary>Anthropic's count_tokens, through Bedrock's CountTokens.</summary>
    public ISurface AnthropicCountTokens => field ??= new AnthropicCountTokensSurface(_unary, _anthropic, log ?? JsonLog.Console);

    /// <summary>Anthropic's model listing (GET /v1/models with an anthropic-version header).</summary>
    public AnthropicModels AnthropicModels => field ??= new AnthropicModels(_anthropic);

    /// <summary>The Bedrock-native surface for one operation.</summary>
    public ISurface Native(BedrockOperation operation) => new NativeSurface(operation, _unary, _eventStream);
}
