using System.Text;

namespace BedrockLambdaProxy.Benchmarks;

/// <summary>
/// Issue 10: time to the first content chunk through the OpenAI-compatible surface (Function URL,
/// POST /v1/chat/completions, stream:true, a customer with limits) against ConverseStream straight to
/// the simulator, measured exactly as <see cref="TtfbBenchmark"/> does, the two kinds in turn.
/// </summary>
internal static class OpenAiTtfbBenchmark
{
    private const string Model = "sim.chunks:2." + BenchStack.Model;

    /// <summary>
    /// The first chunk that carries text: the role chunk before it is <c>"delta":{"role":"assistant","content":""}</c>,
    /// so <c>"delta":{"content":</c> first appears in the chunk translated from the first contentBlockDelta.
    /// </summary>
    private static readonly byte[] FirstContentChunk = "\"delta\":{\"content\":"u8.ToArray();

    public static async Task<string> RunAsync(BenchStack stack, int requests, CancellationToken cancellationToken)
    {
        var directBody = BenchStack.DirectConverseBody();
        var chat = $$"""{"model":"{{Model}}","stream":true,"messages":[{"role":"user","content":"Hello there"}]}""";
        var (proxy, direct) = await TtfbComparison.RunAsync(requests,
            async () =>
            {
                using var request = stack.ProxyRequest("/v1/chat/completions", chat);
                return await StreamProbe.ProxySseAsync(stack.Http, request, FirstContentChunk, cancellationToken).ConfigureAwait(false);
            },
            () => StreamProbe.DirectAsync(stack.Direct, Model, directBody, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        const int Warmup = TtfbComparison.Warmup;

        var report = new StringBuilder();
        report.AppendLine("### Time to first content chunk, OpenAI-compatible surface (issue 10)");
        report.AppendLine();
        report.AppendLine("TTFB as in the section above, through `POST /v1/chat/completions` with `stream:true` (the request "
            + "translated to ConverseStream, each event translated back to a `chat.completion.chunk`): until the client has the "
            + "whole first chunk carrying text (`\"delta\":{\"content\":…}` up to the blank line ending the SSE event), against the "
            + $"first `contentBlockDelta` frame of ConverseStream direct to the simulator. Model id `{Model}`, the demo customer "
            + $"(with limits), {requests} requests each after {Warmup} warm-up rounds, alternating, one at a time.");
        report.AppendLine();
        TtfbComparison.Report(report, proxy, direct, "/v1/chat/completions", 1.10);
        return report.ToString();
    }
}
