using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Streaming;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// A streamed answer for a buffered front (API Gateway REST): the events are collected into one
/// ordinary <c>chat.completion</c>, which every OpenAI client can read even though it asked for a
/// stream; a failure is an OpenAI error with its honest status, since nothing was sent yet.
/// </summary>
internal sealed class ChatCompletionCollector(
    HttpResponseChannel channel, IReadOnlyList<KeyValuePair<string, string>> headers, string id, long created, string model)
    : IStreamEventSink
{
    private readonly ConverseStreamReader _reader = new();
    private readonly ChatAnswer _answer = new();

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        ConverseStreamReader.Apply(_answer, _reader.Read(eventName, json));
        return ValueTask.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken) =>
        channel.SendAsync(new ProxyResponse(200, headers, ChatCompletionJson.Completion(_answer, id, created, model)), cancellationToken);

    public Task FailAsync(ApiError error, CancellationToken cancellationToken) =>
        channel.SendAsync(ErrorResponses.Render(error with { ExtraHeaders = headers.Where(h => !IsContentType(h.Key)).ToList() }, ErrorStyle.OpenAi), cancellationToken);

    private static bool IsContentType(string name) => string.Equals(name, "content-type", StringComparison.OrdinalIgnoreCase);
}
