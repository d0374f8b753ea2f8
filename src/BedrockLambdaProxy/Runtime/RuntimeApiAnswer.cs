using System.Buffers;
using System.Text;

namespace BedrockLambdaProxy.Runtime;

/// <summary>Reads the Runtime API's HTTP/1.1 answer to a hand-written streamed response request.</summary>
internal static class RuntimeApiAnswer
{
    private const int MaxHeadLength = 8 * 1024;
    private const int MaxDrainLength = 64 * 1024;

    /// <summary>
    /// Reads the status line and headers, drains a small body, and throws unless the status is
    /// 2xx (the Runtime API answers 202). Draining matters: closing a socket with unread input
    /// makes the kernel reset the connection instead of closing it.
    /// </summary>
    public static async Task ReadAcceptedAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxHeadLength);
        try
        {
            int filled = 0;
            int headEnd;
            while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (filled == MaxHeadLength)
                {
                    throw new RuntimeApiException("The Runtime API answered the streamed response with an oversized head.");
                }

                int read = await stream.ReadAsync(buffer.AsMemory(filled, MaxHeadLength - filled), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("The Runtime API closed the connection without answering the streamed response.");
                }

                filled += read;
            }

            ReadOnlySpan<byte> head = buffer.AsSpan(0, headEnd);
            int status = ParseStatus(head);
            long remaining = ContentLength(head) - (filled - headEnd - 4);
            while (remaining > 0 && remaining <= MaxDrainLength)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length)), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                remaining -= read;
            }

            if (status is < 200 or > 299)
            {
                throw new RuntimeApiException($"The Runtime API answered the streamed response with {status}.", status);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ParseStatus(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 202 Accepted": the code is the three digits after the first space.
        int space = head.IndexOf((byte)' ');
        if (!head.StartsWith("HTTP/1."u8) || space < 0 || head.Length < space + 4
            || !int.TryParse(head.Slice(space + 1, 3), out int status))
        {
            throw new RuntimeApiException("The Runtime API answered the streamed response with a malformed status line.");
        }

        return status;
    }

    private static long ContentLength(ReadOnlySpan<byte> head)
    {
        foreach (Range range in head.Split("\r\n"u8))
        {
            ReadOnlySpan<byte> line = head[range];
            int colon = line.IndexOf((byte)':');
            if (colon > 0
                && Ascii.EqualsIgnoreCase(line[..colon], "Content-Length"u8)
                && long.TryParse(line[(colon + 1)..].Trim((byte)' '), out long length))
            {
                return length;
            }
        }

        return 0;
    }
}
