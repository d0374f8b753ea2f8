using System.Text;
using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.TestFunction;

/// <summary>
/// /chunks streams "first", waits for the file named by ?flag= (or ?delayMs=), then "second";
/// /boom throws; /exit kills the process; /crash-after-first streams "first" then throws; /sleep?ms= answers late;
/// anything else answers {"path": ...}.
/// </summary>
internal sealed class TestHandler : IInvocationHandler
{
    private static readonly HttpResponsePrelude TextPrelude =
        new(200, [new("content-type", "text/plain")], []);

    public async Task HandleAsync(Invocation invocation, IInvocationResponder responder, CancellationToken cancellationToken)
    {
        var request = TestRequest.Parse(invocation.Payload);
        Console.WriteLine($"{{\"message\":\"testfunction handling\",\"requestId\":\"{invocation.RequestId}\",\"path\":\"{request.Path}\"}}");
        switch (request.Path)
        {
            case "/boom":
                throw new InvalidOperationException("boom requested");
            case "/exit":
                // A crash the runtime cannot report: the sandbox itself dies mid-invocation.
                Environment.Exit(3);
                return;
            case "/chunks":
                await ChunksAsync(request, responder, cancellationToken).ConfigureAwait(false);
                return;
            case "/crash-after-first":
                var body = await responder.StartHttpStreamAsync(TextPrelude, cancellationToken).ConfigureAwait(false);
                await body.WriteAsync(Encoding.UTF8.GetBytes("first"), cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException("crash after the first chunk");
            case "/sleep":
                await Task.Delay(int.Parse(request.Query.GetValueOrDefault("ms", "1000"), System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
                break;
        }

        var json = $"{{\"path\":\"{request.Path}\",\"streams\":{(request.Streams ? "true" : "false")}}}";
        if (request.Streams)
        {
            var prelude = new HttpResponsePrelude(200, [new("content-type", "application/json")], []);
            var stream = await responder.StartHttpStreamAsync(prelude, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(json), cancellationToken).ConfigureAwait(false);
            await stream.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await responder.SendBufferedAsync(ApiGatewayResponse(json), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A payload format 1.0 proxy response carrying <paramref name="json"/> as its body.</summary>
    private static byte[] ApiGatewayResponse(string json)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", 200);
            writer.WriteStartObject("headers");
            writer.WriteString("content-type", "application/json");
            writer.WriteEndObject();
            writer.WriteString("body", json);
            writer.WriteBoolean("isBase64Encoded", false);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static async Task ChunksAsync(TestRequest request, IInvocationResponder responder, CancellationToken cancellationToken)
    {
        var body = await responder.StartHttpStreamAsync(TextPrelude, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(Encoding.UTF8.GetBytes("first"), cancellationToken).ConfigureAwait(false);
        if (request.Query.TryGetValue("flag", out var flag))
        {
            // The test creates the file only after its client has read "first".
            while (!File.Exists(flag))
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (request.Query.TryGetValue("delayMs", out var delay))
        {
            await Task.Delay(int.Parse(delay, System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }

        await body.WriteAsync(Encoding.UTF8.GetBytes("second"), cancellationToken).ConfigureAwait(false);
        await body.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
