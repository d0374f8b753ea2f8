using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost;

/// <summary>Reads a whole request body, up to a limit (anything past it is left unread).</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAllAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (buffer.Length < limit)
        {
            var read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
