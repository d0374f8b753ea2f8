using System.Text;
using System.Text.Json.Nodes;

namespace BedrockLambdaProxy.IntegrationTests.Proxy.Corpus;

/// <summary>A request being mutated: starts valid for its surface, each mutation changes one thing.</summary>
internal sealed class CorpusRequest(CorpusSurface surface, string model, string apiKey)
{
    public CorpusSurface Surface { get; } = surface;

    public string Model { get; } = model;

    public string Method { get; set; } = "POST";

    public string Path { get; set; } = surface.Path(Uri.EscapeDataString(model));

    public JsonObject Body { get; } = surface.ValidBody(model);

    /// <summary>When set, sent instead of <see cref="Body"/>.</summary>
    public byte[]? RawBody { get; set; }

    public string? ContentType { get; set; } = "application/json";

    /// <summary>Authorization values (none, one, or several header lines).</summary>
    public List<string> Authorization { get; } = ["Bearer " + apiKey];

    /// <summary>Puts a model id where this surface reads it: the path (already escaped) or the body's model field.</summary>
    public void SetModel(string escapedForPath, string forBody)
    {
        if (Surface.ModelInPath)
        {
            Path = Surface.Path(escapedForPath);
        }
        else
        {
            Body[Surface.Family.ModelField] = forBody;
        }
    }

    /// <summary>The raw body text with a replacement for one piece of the valid body (for JSON a JsonObject cannot hold).</summary>
    public void ReplaceInBody(string oldText, string newText)
    {
        string text = Body.ToJsonString();
        if (!text.Contains(oldText, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{oldText}' is not in {text}");
        }
        RawBody = Encoding.UTF8.GetBytes(text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    public HttpRequestMessage ToMessage(Uri front)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(front.AbsoluteUri.TrimEnd('/') + Path));
        if (Method is not ("GET" or "HEAD"))
        {
            byte[] bytes = RawBody ?? Encoding.UTF8.GetBytes(Body.ToJsonString());
            message.Content = new ByteArrayContent(bytes);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }
        foreach (string value in Authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", value);
        }
        return message;
    }
}
