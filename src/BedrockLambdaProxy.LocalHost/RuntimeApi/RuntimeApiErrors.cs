using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.RuntimeApi;

/// <summary>The Runtime API's error body: {"errorMessage", "errorType"}.</summary>
internal static class RuntimeApiErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", message);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
