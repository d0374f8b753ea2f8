using System.Text.Json;

namespace BedrockLambdaProxy.TestFunction;

/// <summary>The few things the test handler reads from a Function URL (2.0) or API Gateway (1.0) event.</summary>
internal sealed record TestRequest(string Path, IReadOnlyDictionary<string, string> Query, bool Streams)
{
    private const string StreamPrefix = "/stream";

    /// <summary>Function URLs and the API Gateway "/stream/{proxy+}" route stream; other API Gateway routes buffer.</summary>
    public static TestRequest Parse(ReadOnlyMemory<byte> payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("queryStringParameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in parameters.EnumerateObject())
            {
                query[parameter.Name] = parameter.Value.GetString() ?? string.Empty;
            }
        }

        if (root.TryGetProperty("version", out var version) && version.GetString() == "2.0")
        {
            return new TestRequest(root.GetProperty("rawPath").GetString() ?? "/", query, Streams: true);
        }

        var path = root.GetProperty("path").GetString() ?? "/";
        var streams = root.GetProperty("resource").GetString() == "/stream/{proxy+}";
        return new TestRequest(streams ? path[StreamPrefix.Length..] : path, query, streams);
    }
}
