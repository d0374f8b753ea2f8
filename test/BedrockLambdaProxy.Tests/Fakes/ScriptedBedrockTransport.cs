using System.Net;
using System.Net.Http.Headers;

namespace BedrockLambdaProxy.Tests.Fakes;

/// <summary>An HTTP seam under the Bedrock client that answers with prepared responses and records requests.</summary>
internal sealed class ScriptedBedrockTransport(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
{
    private int _next;

    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    public static HttpResponseMessage Json(int status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach ((string name, string value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        return response;
    }

    public static HttpResponseMessage EventStream(Stream frames)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(frames) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.amazon.eventstream");
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "upstream-req");
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        return answers[Math.Min(_next++, answers.Length - 1)](request);
    }
}
