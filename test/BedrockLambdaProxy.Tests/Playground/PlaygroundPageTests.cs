using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BedrockLambdaProxy.Playground;

namespace BedrockLambdaProxy.Tests.Playground;

public sealed class PlaygroundPageTests
{
    private static readonly string Html = Encoding.UTF8.GetString(PlaygroundPage.Load().Html.Span);

    [Fact]
    public void Load_EmbeddedPage_IsSmallAndSelfContained()
    {
        Assert.StartsWith("<!DOCTYPE html>", Html, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(Html) < 32 * 1024, "the page stays small");
        // Nothing is loaded from anywhere: no URLs, no src attributes, no external stylesheets.
        Assert.DoesNotMatch(new Regex("https?://|//[a-z0-9.-]+\\.[a-z]{2,}/", RegexOptions.IgnoreCase), Html);
        Assert.DoesNotMatch(new Regex("\\ssrc\\s*=|<link[^>]+stylesheet|@import|url\\(", RegexOptions.IgnoreCase), Html);
        // Inline handlers and style attributes would be blocked by the policy (hashes cover blocks only).
        string markup = Regex.Replace(Html, "<script>.*?</script>", "", RegexOptions.Singleline);
        Assert.DoesNotMatch(new Regex("<[^>]*\\s(on[a-z]+|style)\\s*=", RegexOptions.IgnoreCase), markup);
    }

    [Fact]
    public void BuildPolicy_EmbeddedPage_AdmitsExactlyItsInlineScriptAndStyle()
    {
        string policy = PlaygroundPage.Load().ContentSecurityPolicy;

        Assert.Equal(
            $"default-src 'none'; script-src {HashOf("script")}; style-src {HashOf("style")}; connect-src 'self'; img-src data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'",
            policy);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildPolicy_TwoScriptBlocks_AdmitsBoth()
    {
        string policy = PlaygroundPage.BuildPolicy("<style>a{}</style><script>1</script><p>x</p><script>2</script>"u8);

        Assert.Contains($"script-src {Hash("1")} {Hash("2")};", policy, StringComparison.Ordinal);
        Assert.Contains($"style-src {Hash("a{}")};", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<style>a{}</style><script src=\"https://cdn.example/x.js\"></script>")]
    [InlineData("<style>a{}</style><script type=\"module\">1</script>")]
    [InlineData("<style>a{}</style><script>1")]
    [InlineData("<style>a{}</style><p>no script</p>")]
    [InlineData("<style media=\"all\">a{}</style><script>1</script>")]
    public void BuildPolicy_PageItCannotVouchFor_Throws(string html)
    {
        Assert.Throws<InvalidOperationException>(() => PlaygroundPage.BuildPolicy(Encoding.UTF8.GetBytes(html)));
    }

    /// <summary>The hash a browser computes for the page's one block of this kind: SHA-256 of the UTF-8 text between the tags.</summary>
    private static string HashOf(string tag)
    {
        MatchCollection blocks = Regex.Matches(Html, $"<{tag}>(.*?)</{tag}>", RegexOptions.Singleline);
        return Hash(Assert.Single(blocks).Groups[1].Value);
    }

    private static string Hash(string text) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";
}
