using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>Builds the Bedrock call for the two envelope surfaces (/invoke and /converse).</summary>
internal static class EnvelopeCall
{
    public static bool TryPrepare(
        RequestContext context, BedrockOperation unary, BedrockOperation streamed, out BedrockCall? call, out ApiError? error)
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
        // The envelope body is always JSON; pass through the guardrail / trace / latency headers
        // Bedrock reads, so a caller of the seed format can use them too. For streams, Accept
        // would describe the HTTP body (an event stream), so only unary calls name JSON.
        BedrockRequestHeaders headers = BedrockRequestHeaders.From(context.Request.Header) with
        {
            ContentType = "application/json",
            Accept = envelope.Stream ? null : "application/json",
        };
        call = new BedrockCall(envelope.Stream ? streamed : unary, envelope.ModelId, envelope.UpstreamBody, headers, envelope.ReservedTokens);
        return true;
    }
}
