using System.Text;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>A tool call in an answer: Converse's toolUse, with its input as OpenAI's JSON-string arguments.</summary>
internal sealed class ChatToolCall(string id, string name)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public StringBuilder Arguments { get; } = new();
}
