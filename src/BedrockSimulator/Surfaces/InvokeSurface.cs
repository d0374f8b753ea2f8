using System.Globalization;
using BedrockSimulator.Scripts;
using BedrockSimulator.Wire;

namespace BedrockSimulator.Surfaces;

/// <summary>Renders a scripted reply as InvokeModel (native JSON + token headers) or InvokeModelWithResponseStream (chunk events).</summary>
internal static class InvokeSurface
{
    public static Task UnaryAsync(SimulatorRequest request, NativeFormat format, ScriptedReply reply)
    {
        var body = JsonBytes.Write(w => format.WriteUnary(w, reply, request.ModelId, request.NewMessageId()));
        var headers = request.Context.Response.Headers;
        headers["X-Amzn-Bedrock-Input-Token-Count"] = reply.InputTokens.ToString(CultureInfo.InvariantCulture);
        headers["X-Amzn-Bedrock-Output-Token-Count"] = reply.OutputTokens.ToString(CultureInfo.InvariantCulture);
        headers["X-Amzn-Bedrock-Invocation-Latency"] = request.ElapsedMs.ToString(CultureInfo.InvariantCulture);
        if (reply.CacheReadInputTokens > 0 || reply.CacheWriteInputTokens > 0)
        {
            headers["X-Amzn-Bedrock-Cache-Read-Input-Token-Count"] = reply.CacheReadInputTokens.ToString(CultureInfo.InvariantCulture);
            headers["X-Amzn-Bedrock-Cache-Write-Input-Token-Count"] = reply.CacheWriteInputTokens.ToString(CultureInfo.InvariantCulture);
        }

        return AwsResponses.WriteJsonAsync(request.Context, body, request.Aborted);
    }

    /// <summary>Each native chunk travels base64-encoded in a <c>chunk</c> event's <c>bytes</c> field.</summary>
    public static async Task StreamAsync(SimulatorRequest request, NativeFormat format, ScriptedReply reply, SimulatorOptions options)
    {
        var player = new EventStreamPlayer(request, options);
        await player.StartAsync(invokeStream: true);
        if (format.Chunks(reply, request.ModelId, request.NewMessageId()) is { } chunks)
        {
            foreach (var (write, isDelta) in chunks)
            {
                var bytes = JsonBytes.Write(write);
                if (!isDelta)
                {
                    await player.EventAsync("chunk", w => w.WriteBase64String("bytes", bytes));
                }
                else if (!await player.DeltaAsync("chunk", w => w.WriteBase64String("bytes", bytes)))
                {
                    return;
                }
            }

            await FinalAsync(request, format, reply, player);
            return;
        }

        foreach (var chunk in format.Prologue(reply, request.ModelId, request.NewMessageId()))
        {
            await player.EventAsync("chunk", w => w.WriteBase64String("bytes", JsonBytes.Write(chunk)));
        }

        var first = true;
        foreach (var block in reply.Blocks)
        {
            foreach (var piece in block.Pieces)
            {
                var isFirst = first;
                first = false;
                var native = JsonBytes.Write(w => format.WriteDelta(w, reply, piece, isFirst));
                if (!await player.DeltaAsync("chunk", w => w.WriteBase64String("bytes", native)))
                {
                    return;
                }
            }
        }

        foreach (var chunk in format.Epilogue(reply))
        {
            await player.EventAsync("chunk", w => w.WriteBase64String("bytes", JsonBytes.Write(chunk)));
        }

        await FinalAsync(request, format, reply, player);
    }

    private static async Task FinalAsync(SimulatorRequest request, NativeFormat format, ScriptedReply reply, EventStreamPlayer player)
    {
        var metrics = new InvocationMetrics(reply.InputTokens, reply.OutputTokens, request.ElapsedMs, request.FirstByteMs ?? 0)
        {
            CacheReadInputTokens = reply.CacheReadInputTokens,
            CacheWriteInputTokens = reply.CacheWriteInputTokens,
        };
        var final = JsonBytes.Write(w => format.WriteFinal(w, reply, metrics));
        await player.EventAsync("chunk", w => w.WriteBase64String("bytes", final));
    }
}
