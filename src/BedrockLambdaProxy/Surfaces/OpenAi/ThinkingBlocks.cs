using System.Buffers.Text;
using System.Text.Json;
using static BedrockLambdaProxy.Surfaces.OpenAi.ChatRequestTranslator;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// An assistant message's <c>thinking_blocks</c> (the field the proxy answers them in, docs/OPENAI.md), sent back so
/// that a tool flow with thinking on can go on: <c>{"type":"thinking","thinking","signature"}</c> and
/// <c>{"type":"redacted_thinking","data"}</c> become Converse <c>reasoningContent</c> blocks, text and signature
/// copied exactly (Bedrock verifies the signature against the text).
/// </summary>
internal static class ThinkingBlocks
{
    /// <summary>The message's thinking blocks as Converse blocks, in order; an empty list when it has none.</summary>
    public static List<ConverseBlock> Read(JsonElement message, string at)
    {
        var blocks = new List<ConverseBlock>();
        if (Get(message, "thinking_blocks") is not { } list)
        {
            return blocks;
        }
        Expect(list, JsonValueKind.Array, at + ".thinking_blocks");
        int index = 0;
        foreach (JsonElement block in list.EnumerateArray())
        {
            string blockAt = $"{at}.thinking_blocks[{index++}]";
            Expect(block, JsonValueKind.Object, blockAt);
            switch (RequiredString(block, "type", blockAt + ".type"))
            {
                case "thinking":
                    string? signature = null;
                    if (Get(block, "signature") is { } s)
                    {
                        Expect(s, JsonValueKind.String, blockAt + ".signature");
                        signature = s.GetString();
                    }
                    blocks.Add(ConverseBlock.Reasoning(RequiredString(block, "thinking", blockAt + ".thinking"), signature));
                    break;
                case "redacted_thinking":
                    string data = RequiredString(block, "data", blockAt + ".data");
                    if (data.Length == 0 || !Base64.IsValid(data))
                    {
                        throw new ChatRequestException(blockAt + ".data", "A redacted_thinking block's 'data' must be the base64 text the proxy returned.");
                    }
                    blocks.Add(ConverseBlock.RedactedReasoning(data));
                    break;
                case var other:
                    throw new ChatRequestException(blockAt + ".type", $"Thinking block type '{other}' is not known: use 'thinking' or 'redacted_thinking'.");
            }
        }
        return blocks;
    }
}
