using System.Net;
using System.Text;

namespace BedrockLambdaProxy.Tests.Bedrock;

/// <summary>A transport under the signer that answers from a script and records what it was sent.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();

    public List<(string Path, string? Authorization, byte[] Body)> Requests { get; } = [];

    /// <summary>Each request's method, in order.</summary>
    public List<string> Methods { get; } = [];

    /// <summary>Each request's headers, content headers included, by lower-case name (values joined by ", ").</summary>
    public List<Dictionary<string, string>> Headers { get; } = [];

    /// <summary>The authority (host:port) each request went to, in order: which region's endpoint.</summary>
    public List<string> Authorities { get; } = [];

    public ScriptedHandler Then(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        _script.Enqueue((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach ((string name, string value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }
            return Task.FromResult(response);
        });
        return this;
    }

    public ScriptedHandler ThenError(string errorType, HttpStatusCode status, string message) =>
        Then(status, $$"""{"message":"{{message}}"}""", ("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/"));

    public ScriptedHandler ThenThrow(Exception error)
    {
        _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(error));
        return this;
    }

    /// <summary>Never answers until the request's token is cancelled (what an abort looks like).</summary>
    public ScriptedHandler ThenHang(TaskCompletionSource aborted)
    {
        _script.Enqueue(async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
                throw;
            }
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        string? authorization = request.Headers.TryGetValues("Authorization", out var values) ? values.Single() : null;
        Requests.Add((request.RequestUri!.AbsolutePath, authorization, body));
        Authorities.Add(request.RequestUri.Authority);
        Methods.Add(request.Method.Method);
        Headers.Add(request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(", ", h.Value)));
        if (_script.Count == 0)
        {
            throw new InvalidOperationException("The script has no more answers.");
        }
        return await _script.Dequeue()(request, cancellationToken);
    }
}
