using System.Text;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>One request as the fake Runtime API received it, down to the exact bytes.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<KeyValuePair<string, string>> Trailers,
    byte[] Body,
    byte[] Raw)
{
    /// <summary>The raw bytes as Latin-1 text, so NUL and every other byte survive one-to-one.</summary>
    public string RawText => Encoding.Latin1.GetString(Raw);

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Find(Headers, name);

    public string? Trailer(string name) => Find(Trailers, name);

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> fields, string name) =>
        fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase))
            .Select(f => f.Value)
            .FirstOrDefault();
}
