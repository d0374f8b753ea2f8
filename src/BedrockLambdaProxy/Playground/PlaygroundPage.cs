using System.Security.Cryptography;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Playground;

/// <summary>
/// <c>GET /playground</c>: one self-contained HTML page (inline style and script, nothing fetched
/// from elsewhere) that lets a person try their key in a browser. Loading it needs no key; every
/// call the page makes carries the key the user typed. Served only when PLAYGROUND_ENABLED is true.
/// </summary>
internal sealed class PlaygroundPage
{
    /// <summary>The embedded page (BedrockLambdaProxy.csproj gives it this name, so it does not depend on the folder).</summary>
    public const string ResourceName = "BedrockLambdaProxy.Playground.playground.html";

    private readonly ProxyResponse _response;

    /// <summary>Builds the response for a page's bytes; throws when the page breaks the rules its policy relies on.</summary>
    public PlaygroundPage(ReadOnlyMemory<byte> html)
    {
        ContentSecurityPolicy = BuildPolicy(html.Span);
        _response = new ProxyResponse(
            200,
            [
                new("content-type", "text/html; charset=utf-8"),
                new("content-security-policy", ContentSecurityPolicy),
                new("x-content-type-options", "nosniff"),
                new("x-frame-options", "DENY"),
                new("referrer-policy", "no-referrer"),
                new("cross-origin-opener-policy", "same-origin"),
                // The page holds a typed key in its fields: keep it out of disk and back/forward caches.
                new("cache-control", "no-store"),
            ],
            html);
    }

    public string ContentSecurityPolicy { get; }

    public ReadOnlyMemory<byte> Html => _response.Body;

    /// <summary>Reads the page embedded in this assembly (a manifest resource: no reflection, fine under trimming and Native AOT).</summary>
    public static PlaygroundPage Load()
    {
        using Stream stream = typeof(PlaygroundPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The playground page ({ResourceName}) is not embedded in this build.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return new PlaygroundPage(bytes);
    }

    public Task HandleAsync(RequestContext context) => context.Response.SendAsync(_response, context.Cancellation);

    /// <summary>
    /// The policy: nothing may load or run except the page's own inline <c>&lt;style&gt;</c> and
    /// <c>&lt;script&gt;</c> blocks (admitted by their SHA-256, computed here from the bytes served,
    /// so an edit of the page can never leave a stale hash), and requests only to this origin.
    /// </summary>
    internal static string BuildPolicy(ReadOnlySpan<byte> html)
    {
        string scripts = InlineHashes(html, "<script>"u8, "</script>"u8, "<script"u8);
        string styles = InlineHashes(html, "<style>"u8, "</style>"u8, "<style"u8);
        return $"default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; img-src data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";
    }

    /// <summary>
    /// <c>'sha256-…'</c> for every block between <paramref name="open"/> and <paramref name="close"/>.
    /// A tag with attributes (<c>&lt;script src=…&gt;</c>) is refused: the page must be self-contained
    /// and the hash must cover exactly what the browser hashes, the text between the tags.
    /// </summary>
    private static string InlineHashes(ReadOnlySpan<byte> html, ReadOnlySpan<byte> open, ReadOnlySpan<byte> close, ReadOnlySpan<byte> anyOpen)
    {
        var hashes = new List<string>();
        ReadOnlySpan<byte> rest = html;
        while (true)
        {
            int at = rest.IndexOf(anyOpen);
            if (at < 0)
            {
                break;
            }
            if (!rest[at..].StartsWith(open))
            {
                throw new InvalidOperationException(
                    $"The playground page may only use plain {System.Text.Encoding.ASCII.GetString(open)} tags (no attributes, no external sources).");
            }
            rest = rest[(at + open.Length)..];
            int end = rest.IndexOf(close);
            if (end < 0)
            {
                throw new InvalidOperationException($"The playground page has an unclosed {System.Text.Encoding.ASCII.GetString(open)} block.");
            }
            hashes.Add("'sha256-" + Convert.ToBase64String(SHA256.HashData(rest[..end])) + "'");
            rest = rest[(end + close.Length)..];
        }
        if (hashes.Count == 0)
        {
            throw new InvalidOperationException($"The playground page has no {System.Text.Encoding.ASCII.GetString(open)} block.");
        }
        return string.Join(' ', hashes);
    }
}
