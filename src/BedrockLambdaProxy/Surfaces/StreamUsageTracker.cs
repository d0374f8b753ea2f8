using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// What a Bedrock call that may be charged has used so far: Bedrock's own token counts when it
/// reported them (ConverseStream's <c>metadata</c>, the invocation metrics on InvokeModel's last
/// chunk, a unary answer's usage), else an estimate from the request and the output seen
/// (<see cref="OutputTextCounter"/>), and the time to the first token. Set on the request context as
/// soon as Bedrock accepted the call, so every ending (a proxy fault included) bills from it.
/// </summary>
/// <param name="inputTokenEstimate">The request's input estimate, asked for only when the bill is an estimate (it walks the body).</param>
internal sealed class StreamUsageTracker(TimeProvider time, long startTimestamp, Func<long> inputTokenEstimate)
{
    private readonly OutputTextCounter _output = new();

    /// <summary>Bedrock's own counts; null until it reported them.</summary>
    public TokenUsage? Reported { get; private set; }

    public double? TimeToFirstTokenMs { get; private set; }

    /// <summary>
    /// What the usage record bills: Bedrock's counts, or else the estimate (input from the request,
    /// output from what arrived), which is never 0: Bedrock may charge the input of a call it accepted
    /// even when no output came.
    /// </summary>
    public TokenUsage Tokens => Reported ?? new TokenUsage(inputTokenEstimate(), _output.Tokens);

    /// <summary>True when <see cref="Tokens"/> is an estimate.</summary>
    public bool Estimated => Reported is null;

    /// <summary>A ConverseStream event by name and payload.</summary>
    public void ObserveConverse(string? eventType, ReadOnlySpan<byte> payload) => ObserveConverse(eventType, payload, out _);

    /// <summary>
    /// A ConverseStream event by name and payload; true when it is a plain text delta, whose verbatim text
    /// (<see cref="DeltaText.TryFind"/>) is then <paramref name="deltaText"/>, so the relay can hand the found
    /// text on (<see cref="Streaming.IStreamEventSink.WriteTextDeltaAsync"/>) instead of a sink searching for it again.
    /// </summary>
    public bool ObserveConverse(string? eventType, ReadOnlySpan<byte> payload, out Range deltaText)
    {
        deltaText = default;
        if (eventType == "contentBlockDelta")
        {
            TimeToFirstTokenMs ??= time.GetElapsedTime(startTimestamp).TotalMilliseconds;
            return _output.Add(payload, out deltaText);
        }
        else if (eventType == "metadata")
        {
            Reported = BedrockUsageReader.FromConverseStreamMetadata(payload)?.Tokens ?? Reported;
        }
        return false;
    }

    /// <summary>An InvokeModelWithResponseStream chunk, already decoded to the model's JSON.</summary>
    public void ObserveInvokeChunk(ReadOnlySpan<byte> modelJson) => ObserveInvokeChunk(modelJson, out _);

    /// <summary>
    /// As <see cref="ObserveInvokeChunk(ReadOnlySpan{byte})"/>; true when the chunk is a text delta and nothing else,
    /// whose verbatim text is then <paramref name="deltaText"/> (handed on as <see cref="ObserveConverse(string?, ReadOnlySpan{byte}, out Range)"/>'s is).
    /// </summary>
    public bool ObserveInvokeChunk(ReadOnlySpan<byte> modelJson, out Range deltaText)
    {
        TimeToFirstTokenMs ??= time.GetElapsedTime(startTimestamp).TotalMilliseconds;
        if (DeltaText.TryFind(modelJson, out deltaText) && DeltaText.IsWholeEvent(modelJson, deltaText))
        {
            // Nearly every chunk: a text delta and nothing else, so no metrics to look for.
            if (Reported is null)
            {
                _output.AddText(modelJson[deltaText]);
            }
            return true;
        }
        if (BedrockUsageReader.FromInvocationMetrics(modelJson)?.Tokens is { } reported)
        {
            Reported = reported;
        }
        else if (Reported is null)
        {
            _output.Add(modelJson);
        }
        return false;
    }

    /// <summary>A unary answer: Bedrock's counts when it sent them, else the output estimated from the body.</summary>
    public void ObserveUnary(TokenUsage? reported, ReadOnlySpan<byte> body)
    {
        Reported = reported;
        if (reported is null)
        {
            _output.Add(body);
        }
    }

    /// <summary>How the call ended, billed from what was observed.</summary>
    public CallOutcome Outcome(int httpStatus, string? errorType) =>
        new(httpStatus, errorType, Tokens, TimeToFirstTokenMs) { TokensEstimated = Estimated };
}
