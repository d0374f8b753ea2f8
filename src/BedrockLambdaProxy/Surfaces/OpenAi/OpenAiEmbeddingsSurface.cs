using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// <c>POST /v1/embeddings</c>: OpenAI's embeddings request sent to Titan Text Embeddings V2 or Cohere Embed v3 / v4
/// through InvokeModel (<see cref="EmbeddingsExchange"/>), on the same pipeline as every surface (keys, limits with an
/// input-only reservation, allow-lists, retries, deadline, usage records named <c>openai-embeddings</c>). docs/OPENAI.md.
/// </summary>
internal sealed class OpenAiEmbeddingsSurface(EmbeddingsExchange exchange) : ISurface
{
    public string Name => "openai-embeddings";

    public ErrorStyle Style => ErrorStyle.OpenAi;

    public bool TryPrepare(RequestContext context, out BedrockCall? call, out ApiError? error)
    {
        call = null;
        if (!EmbeddingsRequestReader.TryRead(context.Request.Body, out EmbeddingsRequest? request, out error))
        {
            return false;
        }
        BedrockRequestHeaders headers = BedrockRequestHeaders.From(context.Request.Header) with
        {
            ContentType = "application/json",
            Accept = "application/json",
        };
        // The caller's body stands in for the estimate of the input admission reserves: its strings are the texts
        // (plus the model id and options, a few tokens over); the bodies sent are built per call.
        call = new BedrockCall(BedrockOperation.InvokeModel, request!.Model, context.Request.Body, headers, 0)
        {
            GeneratesNoOutput = true,
            Prepared = request,
        };
        return true;
    }

    public Task<CallOutcome> ExecuteAsync(RequestContext context, BedrockCall call) =>
        exchange.RunAsync(context, call, (EmbeddingsRequest)call.Prepared!);
}
