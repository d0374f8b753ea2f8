using BedrockSimulator.Faults;
using BedrockSimulator.Wire;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator;

/// <summary>
/// <c>GET /_simulator/requests</c>: request counts (total, per request key, per model id) for retry and corpus tests,
/// and the calls served (request id, model id, operation, token counts) for billing reconciliation;
/// <c>DELETE</c> resets them. Not part of Bedrock, so it needs no signature.
/// </summary>
internal static class ControlEndpoint
{
    public const string Path = "/_simulator/requests";

    public static Task HandleAsync(HttpContext context, RequestLedger ledger, CancellationToken ct)
    {
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            ledger.Reset();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return AwsResponses.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "ValidationException",
                "Use GET or DELETE on " + Path + ".", ct);
        }

        var body = JsonBytes.Write(w =>
        {
            w.WriteNumber("total", ledger.Total);
            w.WriteStartObject("byKey");
            foreach (var (key, count) in ledger.Snapshot())
            {
                w.WriteNumber(key, count);
            }

            w.WriteEndObject();
            w.WriteStartObject("byModel");
            foreach (var (model, count) in ledger.ModelSnapshot())
            {
                w.WriteNumber(model, count);
            }

            w.WriteEndObject();
            w.WriteStartArray("served");
            foreach (var call in ledger.ServedSnapshot())
            {
                w.WriteStartObject();
                w.WriteString("requestId", call.RequestId);
                w.WriteString("modelId", call.ModelId);
                w.WriteString("operation", call.Operation);
                w.WriteNumber("inputTokens", call.InputTokens);
                w.WriteNumber("outputTokens", call.OutputTokens);
                w.WriteNumber("cacheReadInputTokens", call.CacheReadInputTokens);
                w.WriteNumber("cacheWriteInputTokens", call.CacheWriteInputTokens);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        return AwsResponses.WriteJsonAsync(context, body, ct);
    }
}
