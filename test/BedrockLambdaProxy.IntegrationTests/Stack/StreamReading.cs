using System.Text;

namespace BedrockLambdaProxy.IntegrationTests.Stack;

/// <summary>Reads a response body piece by piece, as a streaming client does.</summary>
internal static class StreamReading
{
    /// <summary>Reads until the accumulated text contains <paramref name="expected"/>; fails at EOF.</summary>
    public static async Task<string> ReadUntilAsync(Stream body, string expected, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new Xunit.Sdk.XunitException($"stream ended before '{expected}'; got '{text}'");
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>Reads to the end; returns the text and the exception that ended it, if any.</summary>
    public static async Task<(string Text, Exception? Error)> ReadToEndAsync(Stream body, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            return (text.ToString(), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (text.ToString(), ex);
        }
    }
}
