using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using BedrockLambdaProxy.LocalHost.Invocations;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>
/// Forwards a streamed http-integration-response to the HTTP client: the JSON prelude up to the
/// 8 NUL separator becomes the status line and headers, then each body piece is written and
/// flushed the moment it arrives from the function.
/// </summary>
internal static class StreamedResponseRelay
{
    private const string IntegrationContentType = "application/vnd.awslambda.http-integration-response";
    private static readonly byte[] Separator = new byte[8];

    /// <summary>Relays the stream; returns false if it failed before anything reached the client (the caller answers 502).</summary>
    public static async Task<bool> RelayAsync(HttpContext context, StreamedResult stream, Action<string> log)
    {
        var reader = stream.Body;
        var hasPrelude = stream.ContentType is not null
            && stream.ContentType.StartsWith(IntegrationContentType, StringComparison.OrdinalIgnoreCase);
        try
        {
            if (hasPrelude)
            {
                if (!await ReadPreludeAsync(context, reader).ConfigureAwait(false))
                {
                    log("streamed response without a valid JSON prelude");
                    return false;
                }
            }
            else
            {
                // A plain streamed payload: Function URLs send it as it is, status 200.
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = stream.ContentType ?? "application/octet-stream";
            }

            await context.Response.StartAsync().ConfigureAwait(false);
            await CopyBodyAsync(context, reader).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // The worker died or was reset mid-stream.
            log($"stream cut off: {ex.Message}");
            return AbortIfStarted(context);
        }

        var end = await stream.End.ConfigureAwait(false);
        if (end.Failed)
        {
            // No documentation says what a Function URL sends after error trailers; ending the
            // chunked body without its terminator makes the truncation visible to any client.
            log($"stream failed after the first byte ({end.ErrorType ?? "truncated"}); ending the client response without its last chunk");
            throw new StreamTruncatedException($"the function's stream ended with {end.ErrorType ?? "a cut"}");
        }

        return true;
    }

    private static bool AbortIfStarted(HttpContext context)
    {
        if (!context.Response.HasStarted)
        {
            return false;
        }

        throw new StreamTruncatedException("the function's stream was cut off");
    }

    private static async Task<bool> ReadPreludeAsync(HttpContext context, PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var position = Find(buffer);
            if (position is { } end)
            {
                var prelude = buffer.Slice(0, end);
                var ok = ApplyPrelude(context, prelude.ToArray());
                reader.AdvanceTo(buffer.GetPosition(Separator.Length, end));
                return ok;
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return false;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static SequencePosition? Find(ReadOnlySequence<byte> buffer)
    {
        var sequenceReader = new SequenceReader<byte>(buffer);
        return sequenceReader.TryReadTo(out ReadOnlySequence<byte> before, Separator, advancePastDelimiter: false)
            ? before.End
            : null;
    }

    private static bool ApplyPrelude(HttpContext context, byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            context.Response.StatusCode = root.TryGetProperty("statusCode", out var status) && status.TryGetInt32(out var code)
                ? code
                : StatusCodes.Status200OK;
            ResponseHeaders.Apply(context.Response, root);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task CopyBodyAsync(HttpContext context, PipeReader reader)
    {
        var output = context.Response.BodyWriter;
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            // Everything the function has sent so far goes out with one flush; PipeWriter.WriteAsync
            // flushed each pipe segment on its own, a send per segment for what had already arrived.
            foreach (var segment in result.Buffer)
            {
                output.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            await output.FlushAsync().ConfigureAwait(false);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await reader.CompleteAsync().ConfigureAwait(false);
    }
}
