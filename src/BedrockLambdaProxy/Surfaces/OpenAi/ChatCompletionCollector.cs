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
    private long _received;

    public ValueTask WriteEventAsync(string? eventName, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        // Past what a buffered response can carry (the events' JSON bounds the answer's text from
        // above) nothing more is kept: memory stays bounded, and the end answers ResponseTooLarge.
        _received += json.Length;
        if (_received <= HttpResponseChannel.BufferedLimitBytes)
        {
            ConverseStreamReader.Apply(_answer, _reader.Read(eventName, json));
        }
        return ValueTask.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken) =>
        _received > HttpResponseChannel.BufferedLimitBytes
            ? channel.SendTooLargeAsync(cancellationToken)
            : channel.SendAsync(new ProxyResponse(200, headers, ChatCompletionJson.Completion(_answer, id, created, model)), cancellationToken);

    public Task FailAsync(ApiError error, CancellationToken cancellationToken) =>
        channel.SendAsync(ErrorResponses.Render(error with { ExtraHeaders = headers.Where(h => !IsContentType(h.Key)).ToList() }, ErrorStyle.OpenAi), cancellationToken);

    private static bool IsContentType(string name) => string.Equals(name, "content-type", StringComparison.OrdinalIgnoreCase);
}
