using System.Globalization;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>Parses one HTTP/1.1 request (Content-Length or chunked with trailers) from a recording reader.</summary>
internal static class HttpRequestParser
{
    /// <summary>The next request on the connection, or null when the client closed it cleanly.</summary>
    public static async Task<RecordedRequest?> ReadAsync(RecordingReader reader, CancellationToken cancellationToken)
    {
        string? requestLine = await reader.ReadLineAsync(cancellationToken);
        if (requestLine is null)
        {
            return null;
        }

        string[] parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[2] != "HTTP/1.1")
        {
            throw new InvalidDataException("Malformed request line: " + requestLine);
        }

        List<KeyValuePair<string, string>> headers = await ReadFieldsAsync(reader, cancellationToken);
        var trailers = new List<KeyValuePair<string, string>>();
        byte[] body;
        if (Find(headers, "Transfer-Encoding") is { } encoding)
        {
            if (encoding != "chunked")
            {
                throw new InvalidDataException("Unsupported transfer encoding: " + encoding);
            }

            var content = new MemoryStream();
            while (true)
            {
                string sizeLine = await reader.ReadLineAsync(cancellationToken)
                    ?? throw new IOException("The connection closed before the last chunk.");
                int size = int.Parse(sizeLine, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    trailers = await ReadFieldsAsync(reader, cancellationToken);
                    break;
                }

                content.Write(await reader.ReadExactAsync(size, cancellationToken));
                string? end = await reader.ReadLineAsync(cancellationToken);
                if (end != string.Empty)
                {
                    throw new InvalidDataException("A chunk was longer than its size line said.");
                }
            }

            body = content.ToArray();
        }
        else
        {
            int length = Find(headers, "Content-Length") is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : 0;
            body = await reader.ReadExactAsync(length, cancellationToken);
        }

        return new RecordedRequest(parts[0], parts[1], headers, trailers, body, reader.TakeCaptured());
    }

    private static async Task<List<KeyValuePair<string, string>>> ReadFieldsAsync(RecordingReader reader, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>();
        while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException("Malformed header line: " + line);
            }

            fields.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        return fields;
    }

    private static string? Find(List<KeyValuePair<string, string>> fields, string name) =>
        fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault();
}
