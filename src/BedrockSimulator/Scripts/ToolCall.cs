namespace BedrockSimulator.Scripts;

/// <summary>A tool call the scripted model makes; <see cref="InputJson"/> is the complete input object.</summary>
internal sealed record ToolCall(string ToolUseId, string Name, string InputJson);
