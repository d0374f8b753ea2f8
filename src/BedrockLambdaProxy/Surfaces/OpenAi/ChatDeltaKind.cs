namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>What one ConverseStream event means to an OpenAI client.</summary>
internal enum ChatDeltaKind
{
    /// <summary>Nothing to tell (contentBlockStop, reasoning, events this surface does not translate).</summary>
    None,
    /// <summary>messageStart: the assistant's turn begins.</summary>
    Role,
    Text,
    /// <summary>contentBlockStart of a toolUse: a new tool call with its id and name.</summary>
    ToolStart,
    /// <summary>A fragment of a tool call's JSON input.</summary>
    ToolArguments,
    /// <summary>messageStop with its stopReason.</summary>
    Finish,
    /// <summary>metadata with Bedrock's token counts.</summary>
    Usage,
}
