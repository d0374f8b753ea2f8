using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>Copies "headers", "multiValueHeaders" and "cookies" from a function's response JSON onto an HTTP response.</summary>
internal static class ResponseHeaders
{
    public static void Apply(HttpResponse response, JsonElement root)
    {
        if (root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                Set(response, header.Name, Text(header.Value));
            }
        }

        if (root.TryGetProperty("multiValueHeaders", out var multi) && multi.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in multi.EnumerateObject())
            {
                if (header.Value.ValueKind == JsonValueKind.Array)
                {
                    var values = header.Value.EnumerateArray().Select(Text).ToArray();
                    if (!IsFramingHeader(header.Name))
                    {
                        response.Headers[header.Name] = values;
                    }
                }
            }
        }

        if (root.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
        {
            foreach (var cookie in cookies.EnumerateArray())
            {
                response.Headers.Append("Set-Cookie", Text(cookie));
            }
        }
    }

    private static void Set(HttpResponse response, string name, string value)
    {
        if (!IsFramingHeader(name))
        {
            response.Headers[name] = value;
        }
    }

    // Framing belongs to this hop: the local server decides chunked vs length itself.
    private static bool IsFramingHeader(string name) =>
        string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "Connection", StringComparison.OrdinalIgnoreCase);

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null => string.Empty,
        _ => value.GetRawText(),
    };
}
