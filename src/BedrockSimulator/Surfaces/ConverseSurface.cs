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
                if (block.Tool is { } tool)
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

    private static void WriteMetrics(Utf8JsonWriter w, SimulatorRequest request)
    {
        w.WriteStartObject("metrics");
        w.WriteNumber("latencyMs", request.ElapsedMs);
        w.WriteEndObject();
    }
}
