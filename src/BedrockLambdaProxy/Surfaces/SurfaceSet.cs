using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>The request formats the proxy speaks, sharing one Bedrock client.</summary>
internal sealed class SurfaceSet(BedrockClient bedrock, TimeProvider time)
{
    private readonly UnaryExchange _unary = new(bedrock);
    private readonly StreamExchange _stream = new(bedrock, time);
    private readonly EventStreamExchange _eventStream = new(bedrock, time);

    public ISurface SeedInvoke => field ??= new EnvelopeSurface(
        "invoke", BedrockOperation.InvokeModel, BedrockOperation.InvokeModelWithResponseStream, _unary, _stream);

    public ISurface Converse => field ??= new EnvelopeSurface(
        "converse", BedrockOperation.Converse, BedrockOperation.ConverseStream, _unary, _stream);

    /// <summary>OpenAI's chat completions, translated to Converse.</summary>
    public ISurface OpenAiChat => field ??= new OpenAiChatSurface(_unary, _stream, time);

    /// <summary>The Bedrock-native surface for one operation.</summary>
    public ISurface Native(BedrockOperation operation) => new NativeSurface(operation, _unary, _eventStream);
}
