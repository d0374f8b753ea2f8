using System.Text.Json;
using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Usage;

/// <summary>
/// Estimates the output tokens of an answer from the model output it carried (text, tool input
/// fragments, reasoning text), for the bill of a stream that ended before Bedrock's usage event or
/// a unary answer without counts. The rule is <see cref="TokenEstimate"/>'s; docs/BILLING.md lists
/// the fields read and measures the error.
/// </summary>
/// <remarks>
/// One pass of a <see cref="Utf8JsonReader"/> over each event's JSON (no allocation), counting the
/// string values of the properties models put their output in: <c>text</c> (Converse deltas, Nova,
/// Anthropic text_delta, reasoning text), <c>input</c> (Converse tool input fragments),
/// <c>partial_json</c> (Anthropic input_json_delta), <c>thinking</c> (Anthropic thinking_delta),
/// <c>outputText</c> (Titan), <c>generation</c> (Llama), <c>completion</c> (older Claude).
/// A chunk with none of them (another family) falls back to all of its string values except
/// the few that name things rather than say them (type, role, id, model, stop reasons).
/// A plain text delta in the exact shape Bedrock writes (<see cref="DeltaText"/>), nearly every
/// event of an answer, is counted without the walk.
/// </remarks>
internal sealed class OutputTextCounter
{
    private TextTokenCounter _text;
    private byte[]? _scratch;

    /// <summary>Estimated output tokens so far.</summary>
    public long Tokens => _text.Tokens;

    /// <summary>True once any model output was counted.</summary>
    public bool SawOutput { get; private set; }

    /// <summary>Counts the output in one event's (or a whole unary answer's) JSON; never throws.</summary>
    public void Add(ReadOnlySpan<byte> json) => Add(json, out _);

    /// <summary>
    /// As <see cref="Add(ReadOnlySpan{byte})"/>; true when the JSON is a plain text delta (<see cref="DeltaText.TryFind"/>),
    /// whose text is then <paramref name="deltaText"/>, so whoever relays the event need not search for it again.
    /// </summary>
    public bool Add(ReadOnlySpan<byte> json, out Range deltaText)
    {
        if (DeltaText.TryFind(json, out deltaText))
        {
            AddText(json[deltaText]);
            return true;
        }
        try
        {
            if (!Count(json, fallback: false))
            {
                Count(json, fallback: true);
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing a model said can be read from it; Bedrock's own framing never gets here.
        }
        return false;
    }

    /// <summary>Counts the known output fields (or, with <paramref name="fallback"/>, every string but names); true if one was found.</summary>
    private bool Count(ReadOnlySpan<byte> json, bool fallback)
    {
        var reader = new Utf8JsonReader(json);
        bool found = false;
        bool take = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    take = fallback ? !IsName(ref reader) : IsOutput(ref reader);
                    break;
                case JsonTokenType.String:
                    if (take)
                    {
                        found = true;
                        Add(ref reader);
                    }
                    take = fallback && take;
                    break;
                default:
                    // A property whose value is an object or array: its own members decide.
                    take = fallback && take && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray;
                    break;
            }
        }
        return found;
    }

    private void Add(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            AddText(reader.ValueSpan);
            return;
        }
        SawOutput = true;
        int length = reader.ValueSpan.Length;
        if (_scratch is null || _scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, 256)];
        }
        int written = reader.CopyString(_scratch);
        _text.Add(_scratch.AsSpan(0, written));
    }

    /// <summary>Counts a text already read out of its event (a delta's text found by <see cref="DeltaText"/>).</summary>
    public void AddText(ReadOnlySpan<byte> text)
    {
        if (!text.IsEmpty)
        {
            SawOutput = true;
            _text.Add(text);
        }
    }

    private static bool IsOutput(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("text"u8)
        || reader.ValueTextEquals("input"u8)
        || reader.ValueTextEquals("partial_json"u8)
        || reader.ValueTextEquals("thinking"u8)
        || reader.ValueTextEquals("outputText"u8)
        || reader.ValueTextEquals("generation"u8)
        || reader.ValueTextEquals("completion"u8);

    // Bedrock's "p" padding is random letters, never output.
    private static bool IsName(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("p"u8)
        || reader.ValueTextEquals("type"u8)
        || reader.ValueTextEquals("role"u8)
        || reader.ValueTextEquals("id"u8)
        || reader.ValueTextEquals("model"u8)
        || reader.ValueTextEquals("stop_reason"u8)
        || reader.ValueTextEquals("stopReason"u8)
        || reader.ValueTextEquals("completionReason"u8)
        || reader.ValueTextEquals("signature"u8);
}
