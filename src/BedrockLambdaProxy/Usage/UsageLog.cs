using System.Text.Json;
using BedrockLambdaProxy.Logging;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// The one structured log line per proxied request. Field names keep the seed's reporting query
/// working (<c>event_type</c> bedrock_invoke / bedrock_stream / bedrock_error, <c>customer_id</c>,
/// <c>request_id</c>, <c>model_id</c>, <c>input_tokens</c>, <c>output_tokens</c>,
/// <c>token_count</c>, <c>duration_ms</c>, <c>timestamp</c>) and add what billing needs.
/// </summary>
internal sealed class UsageLog(JsonLog log)
{
    public void Write(UsageRecord record)
    {
        string eventType = record.ErrorType is not null ? "bedrock_error"
            : record.Streamed ? "bedrock_stream"
            : "bedrock_invoke";
        log.Write(record.ErrorType is null ? "info" : "warn", "bedrock request", json => WriteFields(json, eventType, record));
    }

    internal static void WriteFields(Utf8JsonWriter json, string eventType, UsageRecord record)
    {
        json.WriteString("event_type", eventType);
        json.WriteString("request_id", record.RequestId);
        json.WriteString("customer_id", record.CustomerId);
        json.WriteString("key_id", record.KeyId);
        json.WriteString("model_id", record.ModelId);
        json.WriteString("surface", record.Surface);
        json.WriteBoolean("streamed", record.Streamed);
        json.WriteNumber("status", record.HttpStatus);
        if (record.ErrorType is not null)
        {
            json.WriteString("error_type", record.ErrorType);
        }
        TokenUsage tokens = record.Tokens ?? TokenUsage.Zero;
        // tokens_reported: Bedrock's own counts; estimated: the proxy's estimate (docs/BILLING.md).
        json.WriteBoolean("tokens_reported", record.Tokens is not null && !record.Estimated);
        json.WriteBoolean("estimated", record.Estimated);
        json.WriteNumber("input_tokens", tokens.InputTokens);
        json.WriteNumber("output_tokens", tokens.OutputTokens);
        json.WriteNumber("cache_read_input_tokens", tokens.CacheReadInputTokens);
        json.WriteNumber("cache_write_input_tokens", tokens.CacheWriteInputTokens);
        json.WriteNumber("token_count", tokens.TotalTokens);
        if (record.CostMicroUsd is long cost)
        {
            json.WriteNumber("cost_micro_usd", cost);
            json.WriteString("price_version", record.PriceVersion);
        }
        else if (record.Tokens is not null)
        {
            // Never a $0 cost for a model without a price: the line says it is unpriced instead.
            json.WriteBoolean("unpriced", true);
        }
        json.WriteNumber("duration_ms", Math.Round(record.LatencyMs, 1));
        if (record.TimeToFirstTokenMs is double ttft)
        {
            json.WriteNumber("time_to_first_token_ms", Math.Round(ttft, 1));
        }
        if (record.BedrockRegion is not null)
        {
            json.WriteString("bedrock_region", record.BedrockRegion);
        }
        if (record.BedrockAttempts is int attempts)
        {
            json.WriteNumber("bedrock_attempts", attempts);
        }
        if (record.BedrockRequestId is not null)
        {
            json.WriteString("bedrock_request_id", record.BedrockRequestId);
        }
        WriteBedrockCalls(json, record, "bedrock_request_ids", "bedrock_calls");
        json.WriteString("request_time", record.Timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A several-call (embeddings) record's request ids and call count, under the names of the document at hand (this
    /// line, the admin report); nothing for a one-call record, so every other record keeps its shape.
    /// </summary>
    internal static void WriteBedrockCalls(Utf8JsonWriter json, UsageRecord record, string idsName, string callsName)
    {
        if (record.BedrockRequestIds is { Count: > 0 } ids)
        {
            json.WriteStartArray(idsName);
            foreach (string id in ids)
            {
                json.WriteStringValue(id);
            }
            json.WriteEndArray();
        }
        if (record.BedrockCalls is int calls)
        {
            json.WriteNumber(callsName, calls);
        }
    }
}
