using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>Writes buffered function payloads and the fronts' own error bodies.</summary>
internal static class FrontResponses
{
    /// <summary>An error the front itself produces, e.g. {"message":"Internal Server Error"}.</summary>
    public static async Task WriteMessageAsync(HttpContext context, int status, string message, string? errorType = null)
    {
        if (context.Response.HasStarted)
        {
            throw new StreamTruncatedException(message);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (errorType is not null)
        {
            context.Response.Headers["x-amzn-ErrorType"] = errorType;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray()).ConfigureAwait(false);
    }

    /// <summary>
    /// Payload format 2.0: an object with statusCode is an HTTP response; anything else is sent
    /// as a 200 application/json body, as Function URLs and HTTP APIs do.
    /// </summary>
    public static Task WriteFunctionUrlAsync(HttpContext context, byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("statusCode", out var status) && status.TryGetInt32(out var code))
            {
                return WriteShapedAsync(context, code, root);
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: still passed through as the body below.
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(payload).AsTask();
    }

    /// <summary>Payload format 1.0: statusCode is required; a payload without it is a malformed proxy response (502).</summary>
    public static Task WriteApiGatewayAsync(HttpContext context, byte[] payload, Action<string> log)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("statusCode", out var status) && status.TryGetInt32(out var code))
            {
                return WriteShapedAsync(context, code, root);
            }
        }
        catch (JsonException)
        {
            // Falls through to the malformed-response answer.
        }

        log("Execution failed due to configuration error: Malformed Lambda proxy response");
        return WriteMessageAsync(context, StatusCodes.Status502BadGateway, "Internal server error", "InternalServerErrorException");
    }

    private static Task WriteShapedAsync(HttpContext context, int status, JsonElement root)
    {
        context.Response.StatusCode = status;
        ResponseHeaders.Apply(context.Response, root);
        if (!root.TryGetProperty("body", out var body) || body.ValueKind == JsonValueKind.Null)
        {
            return Task.CompletedTask;
        }

        var text = body.ValueKind == JsonValueKind.String ? body.GetString() ?? string.Empty : body.GetRawText();
        var isBase64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
        var bytes = isBase64 ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }
}
