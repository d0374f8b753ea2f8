using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 22: time to the first content event through the Anthropic-compatible surface (Function URL,
/// POST /v1/messages, stream:true, a customer with limits) against InvokeModelWithResponseStream straight to the
/// simulator with the same Claude body, measured exactly as <see cref="TtfbBenchmark"/> does, the two kinds in turn.
/// </summary>
internal static class AnthropicTtfbBenchmark
{
    private const string Model = "sim.chunks:2.anthropic.claude-haiku-4-5-20251001-v1:0";

    /// <summary>The first text delta's SSE event (Anthropic names each event by its type).</summary>
    private static readonly byte[] FirstContentEvent = "event: content_block_delta\n"u8.ToArray();

    /// <summary>A complete Anthropic stream ends with the message_stop event.</summary>
    private static readonly byte[] StreamEnd = "{\"type\":\"message_stop\"}\n\n"u8.ToArray();

    public static async Task<string> RunAsync(BenchStack stack, int requests, CancellationToken cancellationToken)
    {
        var directBody = Encoding.UTF8.GetBytes(
            """{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":"Hello there"}]}""");
        var messages = $$"""{"model":"{{Model}}","stream":true,"max_tokens":256,"messages":[{"role":"user","content":"Hello there"}]}""";
        var (proxy, direct) = await TtfbComparison.RunAsync(requests,
            async () =>
            {
                using var request = stack.ProxyRequest("/v1/messages", messages);
                return await StreamProbe.ProxySseAsync(stack.Http, request, FirstContentEvent, StreamEnd, cancellationToken).ConfigureAwait(false);
            },
            () => StreamProbe.DirectInvokeAsync(stack.Direct, Model, directBody, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        const int Warmup = TtfbComparison.Warmup;

        var report = new StringBuilder();
        report.AppendLine("### Time to first content event, Anthropic-compatible surface (issue 22)");
        report.AppendLine();
        report.AppendLine("TTFB as in the section above, through `POST /v1/messages` with `stream:true` (the body rewritten for "
            + "InvokeModelWithResponseStream, each chunk relayed as an Anthropic SSE event): until the client has the whole first "
            + "`content_block_delta` event, against the first chunk frame carrying a `content_block_delta` from "
            + $"InvokeModelWithResponseStream direct to the simulator. Model id `{Model}`, the demo customer (with limits), "
            + $"{requests} requests each after {Warmup} warm-up rounds, alternating, one at a time.");
        report.AppendLine();
        TtfbComparison.Report(report, proxy, direct, "/v1/messages", 1.05);
        return report.ToString();
    }
}
