namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>What one ConverseStream event means to an OpenAI client.</summary>
internal enum ChatDeltaKind
{
    /// <summary>Nothing to tell (contentBlockStop, events this surface does not translate).</summary>
    None,
    /// <summary>messageStart: the assistant's turn begins.</summary>
    Role,
    Text,
    /// <summary>contentBlockStart of a toolUse: a new tool call with its id and name.</summary>
    ToolStart,
    /// <summary>A fragment of a tool call's JSON input.</summary>
    ToolArguments,
    /// <summary>A piece of reasoning text (<c>reasoningContent.text</c>): OpenAI's <c>reasoning_content</c>.</summary>
    Reasoning,
    /// <summary>A reasoning block's signature: the whole signed thinking block, its text gathered from the pieces.</summary>
    ThinkingSigned,
    /// <summary>A redacted reasoning block (<c>reasoningContent.redactedContent</c>, base64).</summary>
    ThinkingRedacted,
    /// <summary>messageStop with its stopReason.</summary>
    Finish,
    /// <summary>metadata with Bedrock's token counts.</summary>
    Usage,
}
