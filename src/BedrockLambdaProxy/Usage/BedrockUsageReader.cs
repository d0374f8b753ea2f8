using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// Reads the token counts Bedrock itself reports, in each of the four places it reports them. Counts
/// are never estimated: when Bedrock said nothing, the answer is null.
/// </summary>
internal static class BedrockUsageReader
{
    private const string InvocationMetricsProperty = "amazon-bedrock-invocationMetrics";

    private static ReadOnlySpan<byte> ChunkOpening => "{\"bytes\":\""u8;

    /// <summary>Converse response body: top-level "usage" {inputTokens, outputTokens, cache…} and "metrics".</summary>
    public static BedrockReportedUsage? FromConverseResponse(ReadOnlySpan<byte> body) => FromConverseShape(body);

    /// <summary>ConverseStream "metadata" event payload: {"usage": {…}, "metrics": {"latencyMs": n}}.</summary>
    public static BedrockReportedUsage? FromConverseStreamMetadata(ReadOnlySpan<byte> payload) => FromConverseShape(payload);

    /// <summary>InvokeModel response headers X-Amzn-Bedrock-Input-Token-Count and friends.</summary>
    public static BedrockReportedUsage? FromInvokeModelHeaders(BedrockResponseHeaders headers)
    {
        long? input = HeaderNumber(headers, BedrockResponseHeaders.InputTokenCount);
        long? output = HeaderNumber(headers, BedrockResponseHeaders.OutputTokenCount);
        if (input is null && output is null)
        {
            return null;
        }
        var tokens = new TokenUsage(
            input ?? 0,
            output ?? 0,
            HeaderNumber(headers, BedrockResponseHeaders.CacheReadInputTokenCount) ?? 0,
            HeaderNumber(headers, BedrockResponseHeaders.CacheWriteInputTokenCount) ?? 0);
        return new BedrockReportedUsage(tokens, HeaderNumber(headers, BedrockResponseHeaders.InvocationLatency));
    }

    /// <summary>InvokeModelWithResponseStream "chunk" event payload {"bytes": "&lt;base64&gt;"}: the model's final chunk carries the metrics.</summary>
    public static BedrockReportedUsage? FromInvokeStreamChunk(ReadOnlySpan<byte> chunkPayload) =>
        DecodeChunk(chunkPayload) is { } modelJson ? FromInvocationMetrics(modelJson) : null;

    /// <summary>A decoded model chunk's top-level "amazon-bedrock-invocationMetrics", if it has one.</summary>
    public static BedrockReportedUsage? FromInvocationMetrics(ReadOnlySpan<byte> modelJson)
    {
        // Only the last chunk of a stream has them: a vectorized search spares every other chunk a JSON walk.
        if (modelJson.IndexOf("\"amazon-bedrock-invocationMetrics\""u8) < 0)
        {
            return null;
        }
        var reader = new Utf8JsonReader(modelJson);
        if (!TryFindObject(ref reader, InvocationMetricsProperty))
        {
            return null;
        }
        using JsonDocument metrics = JsonDocument.ParseValue(ref reader);
        JsonElement m = metrics.RootElement;
        long? input = Number(m, "inputTokenCount");
        long? output = Number(m, "outputTokenCount");
        if (input is null && output is null)
        {
            return null;
        }
        var tokens = new TokenUsage(
            input ?? 0, output ?? 0, Number(m, "cacheReadInputTokenCount") ?? 0, Number(m, "cacheWriteInputTokenCount") ?? 0);
        return new BedrockReportedUsage(tokens, Number(m, "invocationLatency"), Number(m, "firstByteLatency"));
    }

    /// <summary>
    /// The model JSON inside a chunk event payload ({"bytes": "&lt;base64&gt;"}), decoded straight from
    /// the payload bytes; null when the payload has no "bytes" string or it is not base64.
    /// </summary>
    public static byte[]? DecodeChunk(ReadOnlySpan<byte> chunkPayload)
    {
        var reader = new Utf8JsonReader(chunkPayload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isBytes = reader.ValueTextEquals("bytes");
                reader.Read();
                if (isBytes && reader.TokenType == JsonTokenType.String)
                {
                    return reader.TryGetBytesFromBase64(out byte[]? decoded) ? decoded : null;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    /// <summary>
    /// Decodes a chunk payload's base64 "bytes" straight into <paramref name="destination"/> (for
    /// example the SSE writer's buffer), with no intermediate array when the string has no JSON escapes.
    /// Returns the number of bytes written, or -1 when the payload has no usable "bytes".
    /// </summary>
    public static int DecodeChunk(ReadOnlySpan<byte> chunkPayload, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (chunkPayload.StartsWith(ChunkOpening))
        {
            // Bedrock's own shape, "bytes" first: the base64 ends at the next quote unless something is escaped.
            ReadOnlySpan<byte> rest = chunkPayload[ChunkOpening.Length..];
            int end = rest.IndexOfAny((byte)'"', (byte)'\\');
            if (end >= 0 && rest[end] == (byte)'"')
            {
                return DecodeBase64(rest[..end], destination);
            }
        }
        var reader = new Utf8JsonReader(chunkPayload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return -1;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isBytes = reader.ValueTextEquals("bytes");
                reader.Read();
                if (!isBytes || reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.ValueIsEscaped || reader.HasValueSequence)
                {
                    // Rare (an encoder that escapes '/' or '+'): let the reader unescape, at the cost of a copy.
                    if (!reader.TryGetBytesFromBase64(out byte[]? unescaped))
                    {
                        return -1;
                    }
                    destination.Write(unescaped);
                    return unescaped.Length;
                }
                return DecodeBase64(reader.ValueSpan, destination);
            }
        }
        catch (JsonException)
        {
            return -1;
        }
        return -1;
    }

    private static int DecodeBase64(ReadOnlySpan<byte> base64, IBufferWriter<byte> destination)
    {
        Span<byte> target = destination.GetSpan(Base64.GetMaxDecodedFromUtf8Length(base64.Length));
        if (Base64.DecodeFromUtf8(base64, target, out _, out int written) != OperationStatus.Done)
        {
            return -1;
        }
        destination.Advance(written);
        return written;
    }

    private static BedrockReportedUsage? FromConverseShape(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("usage", out JsonElement usage) || usage.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var tokens = new TokenUsage(
                Number(usage, "inputTokens") ?? 0,
                Number(usage, "outputTokens") ?? 0,
                Number(usage, "cacheReadInputTokens") ?? 0,
                Number(usage, "cacheWriteInputTokens") ?? 0);
            long? latency = root.TryGetProperty("metrics", out JsonElement metrics) && metrics.ValueKind == JsonValueKind.Object
                ? Number(metrics, "latencyMs")
                : null;
            return new BedrockReportedUsage(tokens, latency);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Moves the reader onto the start of the top-level object property <paramref name="name"/>.</summary>
    private static bool TryFindObject(ref Utf8JsonReader reader, string name)
    {
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals(name);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.StartObject)
                {
                    return true;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return false;
    }

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n)
            ? n
            : null;

    private static long? HeaderNumber(BedrockResponseHeaders headers, string name) =>
        long.TryParse(headers.Get(name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)
            ? n
            : null;
}
