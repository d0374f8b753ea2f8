using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>Writes OpenAI's response documents: <c>chat.completion</c>, <c>chat.completion.chunk</c> and their <c>usage</c>.</summary>
internal static class ChatCompletionJson
{
    /// <summary>A whole non-streamed answer.</summary>
    public static byte[] Completion(ChatAnswer answer, string id, long created, string model)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + answer.Text.Length);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("object", "chat.completion");
            json.WriteNumber("created", created);
            json.WriteString("model", model);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            // OpenAI sends null content for an answer that is only tool calls.
            if (answer.Text.Length == 0 && answer.ToolCalls.Count > 0)
            {
                json.WriteNull("content");
            }
            else
            {
                json.WriteString("content", answer.Text.ToString());
            }
            json.WriteNull("refusal");
            WriteReasoning(json, answer);
            if (answer.ToolCalls.Count > 0)
            {
                json.WriteStartArray("tool_calls");
                foreach (ChatToolCall call in answer.ToolCalls)
                {
                    json.WriteStartObject();
                    json.WriteString("id", call.Id);
                    json.WriteString("type", "function");
                    json.WriteStartObject("function");
                    json.WriteString("name", call.Name);
                    json.WriteString("arguments", call.Arguments.Length == 0 ? "{}" : call.Arguments.ToString());
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", FinishReasons.From(answer.StopReason));
            json.WriteEndObject();
            json.WriteEndArray();
            if (answer.Usage is TokenUsage usage)
            {
                WriteUsage(json, usage);
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>reasoning_content</c> (the name DeepSeek's and vLLM's OpenAI-compatible APIs use) and <c>thinking_blocks</c>
    /// (LiteLLM's), each only when the answer has some, so an answer without reasoning is byte-for-byte as before.
    /// </summary>
    private static void WriteReasoning(Utf8JsonWriter json, ChatAnswer answer)
    {
        if (answer.Reasoning.Length > 0)
        {
            json.WriteString("reasoning_content", answer.Reasoning.ToString());
        }
        if (answer.ThinkingBlocks.Count > 0)
        {
            json.WriteStartArray("thinking_blocks");
            foreach (ChatThinkingBlock block in answer.ThinkingBlocks)
            {
                block.WriteTo(json);
            }
            json.WriteEndArray();
        }
    }

    /// <summary>
    /// OpenAI's usage object from Bedrock's counts. OpenAI's prompt_tokens include cached prompt
    /// tokens (reported again under prompt_tokens_details), so Bedrock's cache reads and writes are
    /// added to its inputTokens; without prompt caching the numbers are Bedrock's exactly.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter json, TokenUsage usage)
    {
        long prompt = usage.InputTokens + usage.CacheReadInputTokens + usage.CacheWriteInputTokens;
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", prompt);
        json.WriteNumber("completion_tokens", usage.OutputTokens);
        json.WriteNumber("total_tokens", prompt + usage.OutputTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", usage.CacheReadInputTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
