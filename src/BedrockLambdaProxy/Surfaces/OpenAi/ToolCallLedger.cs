namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// OpenAI's rule for tool calls in a history, followed while the messages are walked: an assistant message's
/// <c>tool_calls</c> must be answered by the <c>tool</c> messages right after it, one per call id, before any other
/// message; a <c>tool</c> message answers only a call of that assistant message. Bedrock refuses the same histories
/// (unanswered toolUse, toolResult without its toolUse), so they are refused here, in OpenAI's words, before the call.
/// </summary>
internal sealed class ToolCallLedger
{
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private string? _openedAt;

    /// <summary>The assistant message at <paramref name="at"/> made these calls; the next messages must answer them.</summary>
    public void Open(string at, IReadOnlyList<string> ids)
    {
        _open.Clear();
        _open.UnionWith(ids);
        _openedAt = ids.Count > 0 ? at : null;
    }

    /// <summary>A tool message answers <paramref name="id"/>.</summary>
    public void Answer(string at, string id)
    {
        if (_openedAt is null)
        {
            // OpenAI's wording, spelling included: clients and their users search for it.
            throw new ChatRequestException(at + ".role",
                "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
        }
        if (!_open.Remove(id))
        {
            throw new ChatRequestException(at + ".tool_call_id",
                $"Invalid parameter: 'tool_call_id' of '{id}' not found in 'tool_calls' of previous message.");
        }
    }

    /// <summary>A message other than a tool answer follows (or the history ends): every call must have been answered.</summary>
    public void ExpectNoneOpen()
    {
        if (_open.Count > 0)
        {
            throw new ChatRequestException(_openedAt + ".role",
                "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
                + "The following tool_call_ids did not have response messages: " + string.Join(", ", _open.Order(StringComparer.Ordinal)));
        }
        _openedAt = null;
    }
}
