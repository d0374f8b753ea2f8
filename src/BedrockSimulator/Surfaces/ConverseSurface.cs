using System.Text.Json;
using BedrockSimulator.Scripts;
using BedrockSimulator.Wire;

namespace BedrockSimulator.Surfaces;

/// <summary>Renders a scripted reply as Converse (one JSON document) or ConverseStream (event-stream frames).</summary>
internal static class ConverseSurface
{
    public static Task UnaryAsync(SimulatorRequest request, ScriptedReply reply)
    {
        var body = JsonBytes.Write(w =>
        {
            w.WriteStartObject("output");
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteStartArray("content");
            foreach (var block in reply.Blocks)
            {
                w.WriteStartObject();
                if (block.IsReasoning)
                {
                    WriteReasoning(w, block);
                }
                else if (block.Tool is { } tool)
                {
                    w.WriteStartObject("toolUse");
                    w.WriteString("toolUseId", tool.ToolUseId);
                    w.WriteString("name", tool.Name);
                    w.WritePropertyName("input");
                    w.WriteRawValue(tool.InputJson);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("text", block.Text);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("stopReason", reply.StopReason);
            ConverseUsage.Write(w, reply);
            WriteMetrics(w, request);
        });
        return AwsResponses.WriteJsonAsync(request.Context, body, request.Aborted);
    }

    /// <summary>
    /// Event order as Bedrock sends it: messageStart; per block an optional contentBlockStart (tool use only),
    /// its deltas, contentBlockStop; then messageStop and metadata.
    /// </summary>
    public static async Task StreamAsync(SimulatorRequest request, ScriptedReply reply, SimulatorOptions options)
    {
        var player = new EventStreamPlayer(request, options);
        await player.StartAsync(invokeStream: false);
        await player.EventAsync("messageStart", w => w.WriteString("role", "assistant"));
        for (var index = 0; index < reply.Blocks.Count; index++)
        {
            var block = reply.Blocks[index];
            var blockIndex = index;
            if (block.Tool is { } tool)
            {
                await player.EventAsync("contentBlockStart", w =>
                {
                    w.WriteNumber("contentBlockIndex", blockIndex);
                    w.WriteStartObject("start");
                    w.WriteStartObject("toolUse");
                    w.WriteString("toolUseId", tool.ToolUseId);
                    w.WriteString("name", tool.Name);
                    w.WriteEndObject();
                    w.WriteEndObject();
                });
            }

            if (block.IsReasoning)
            {
                await ReasoningDeltasAsync(player, block, blockIndex);
                continue;
            }

            foreach (var piece in block.Pieces)
            {
                var sent = await player.DeltaAsync("contentBlockDelta", w =>
                {
                    w.WriteNumber("contentBlockIndex", blockIndex);
                    w.WriteStartObject("delta");
                    if (block.Tool is not null)
                    {
                        w.WriteStartObject("toolUse");
                        w.WriteString("input", piece);
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteString("text", piece);
                    }

                    w.WriteEndObject();
                });
                if (!sent)
                {
                    return;
                }
            }

            await player.EventAsync("contentBlockStop", w => w.WriteNumber("contentBlockIndex", blockIndex));
        }

        await player.EventAsync("messageStop", w => w.WriteString("stopReason", reply.StopReason));
        await player.EventAsync("metadata", w =>
        {
            ConverseUsage.Write(w, reply);
            WriteMetrics(w, request);
        });
    }

    /// <summary>A unary reasoningContent block: <c>reasoningText</c> (text, and a signature when signed) or <c>redactedContent</c>.</summary>
    private static void WriteReasoning(Utf8JsonWriter w, ReplyBlock block)
    {
        w.WriteStartObject("reasoningContent");
        if (block.RedactedData is { } data)
        {
            w.WriteString("redactedContent", data);
        }
        else
        {
            w.WriteStartObject("reasoningText");
            w.WriteString("text", block.ThinkingText);
            if (block.Signature is { } signature)
            {
                w.WriteString("signature", signature);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// A reasoning block streamed as ConverseStream sends it: no contentBlockStart, reasoningContent text deltas, then
    /// the signature in a delta of its own (or one redactedContent delta), then contentBlockStop. Reasoning leaves at
    /// once, as on the Anthropic surface: chunk delays and fail-after faults count the answer's own deltas.
    /// </summary>
    private static async Task ReasoningDeltasAsync(EventStreamPlayer player, ReplyBlock block, int blockIndex)
    {
        IEnumerable<(string Name, string Value)> parts = block.RedactedData is { } data
            ? [("redactedContent", data)]
            : block.Pieces.Select(p => ("text", p)).Concat(block.Signature is { } s ? [("signature", s)] : []);
        foreach ((string name, string value) in parts)
        {
            await player.EventAsync("contentBlockDelta", w =>
            {
                w.WriteNumber("contentBlockIndex", blockIndex);
                w.WriteStartObject("delta");
                w.WriteStartObject("reasoningContent");
                w.WriteString(name, value);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        await player.EventAsync("contentBlockStop", w => w.WriteNumber("contentBlockIndex", blockIndex));
    }

    private static void WriteMetrics(Utf8JsonWriter w, SimulatorRequest request)
    {
        w.WriteStartObject("metrics");
        w.WriteNumber("latencyMs", request.ElapsedMs);
        w.WriteEndObject();
    }
}
