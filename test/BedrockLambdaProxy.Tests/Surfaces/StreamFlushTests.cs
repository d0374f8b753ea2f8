using BedrockLambdaProxy.Surfaces.BedrockFormats;
using System.Text;
using System.Threading.Channels;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Surfaces.OpenAi;
using BedrockLambdaProxy.Tests.Bedrock;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Surfaces;

/// <summary>
/// Both relays write and flush what has arrived before they wait on Bedrock again: frames that came
/// in one read may share a chunk, but nothing is held back while the upstream is silent. No clock
/// decides the outcome: each step waits for the chunk itself (the 30 s limit only stops a hang).
/// </summary>
public sealed class StreamFlushTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);


    private static readonly byte[] Start = EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}""");
    private static readonly byte[] First = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel"}}""");
    private static readonly byte[] Second = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"lo"}}""");
    private static readonly byte[] BlockStop = EventStreamFrameBuilder.Event("contentBlockStop", """{"contentBlockIndex":0}""");
    private static readonly byte[] Stop = EventStreamFrameBuilder.Event("messageStop", """{"stopReason":"end_turn"}""");

    [Fact]
    public async Task StreamExchange_UpstreamSilentAfterTwoFrames_BothAlreadyFlushedAsSse()
    {
        var upstream = new GatedStream();
        var responder = new RecordingResponder();
        Channel<byte[]> chunks = Record(responder);
        var exchange = new StreamExchange(Client(upstream), TimeProvider.System);
        var call = new BedrockCall(BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, 0);

        Task<CallOutcome> run = exchange.RunAsync(ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), call, ErrorStyle.Proxy);
        upstream.Release([.. Start, .. First]);

        // Bedrock has sent nothing more: the two events must already be out, in the one chunk.
        Assert.Equal(
            "event: messageStart\ndata: {\"role\":\"assistant\"}\n\n"
            + "event: contentBlockDelta\ndata: {\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\"}}\n\n",
            Encoding.UTF8.GetString(await chunks.Reader.ReadAsync().AsTask().WaitAsync(HangGuard)));

        upstream.Release(Second[..10]);
        upstream.Release([.. Second[10..], .. Stop]);
        Assert.Equal(
            "event: contentBlockDelta\ndata: {\"contentBlockIndex\":0,\"delta\":{\"text\":\"lo\"}}\n\n"
            + "event: messageStop\ndata: {\"stopReason\":\"end_turn\"}\n\n",
            Encoding.UTF8.GetString(await chunks.Reader.ReadAsync().AsTask().WaitAsync(HangGuard)));

        upstream.End();
        CallOutcome outcome = await run.WaitAsync(HangGuard);
        Assert.Equal("data: [DONE]\n\n", Encoding.UTF8.GetString(responder.Chunks[^1]));
        Assert.True(responder.Completed);
        Assert.Null(outcome.ErrorType);
    }

    [Fact]
    public async Task StreamExchange_OpenAiChunks_LastEventMakesNoChunk_HeldChunksAlreadyFlushed()
    {
        var (upstream, responder, chunks, run) = StartOpenAiRelay();

        // The text chunk is written unflushed (the block stop is already here), and the block stop makes
        // no chunk of its own: the text must still leave before the relay waits on Bedrock.
        upstream.Release([.. Start, .. First, .. BlockStop]);
        Assert.Equal(
            OpenAiChunk("""{"role":"assistant","content":""}""")
            + OpenAiChunk("""{"content":"Hel"}"""),
            await NextAsync(chunks));

        upstream.Release([.. Second, .. Stop]);
        Assert.Equal(
            OpenAiChunk("""{"content":"lo"}""")
            + OpenAiChunk("{}", finishReason: "stop"),
            await NextAsync(chunks));

        await EndsWithDoneAsync(upstream, responder, run);
    }

    [Fact]
    public async Task StreamExchange_OpenAiChunks_TextsArrivedTogether_ShareOneChunkFlushedBeforeWaiting()
    {
        var (upstream, responder, chunks, run) = StartOpenAiRelay();
        byte[] escaped = EventStreamFrameBuilder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" \"!\""}}""");
        upstream.Release([.. Start, .. First, .. Second]);
        // Both texts were here together: one chunk carries them, and it is out before the relay waits again.
        Assert.Equal(
            OpenAiChunk("""{"role":"assistant","content":""}""")
            + OpenAiChunk("""{"content":"Hello"}"""),
            await NextAsync(chunks));

        // A text alone is its own chunk at once; an escaped one after it (written by the JSON writer) keeps its order.
        upstream.Release([.. First]);
        Assert.Equal(
            OpenAiChunk("""{"content":"Hel"}"""),
            await NextAsync(chunks));
        upstream.Release([.. Second, .. escaped, .. Second, .. Stop]);
        Assert.Equal(
            OpenAiChunk("""{"content":"lo"}""")
            + OpenAiChunk("""{"content":" \"!\""}""")
            + OpenAiChunk("""{"content":"lo"}""")
            + OpenAiChunk("{}", finishReason: "stop"),
            await NextAsync(chunks));

        await EndsWithDoneAsync(upstream, responder, run);
    }

    [Fact]
    public async Task StreamExchange_OpenAiChunks_FailureArrivesWithOpenTexts_TextChunkEndedBeforeTheError()
    {
        var (upstream, responder, _, run) = StartOpenAiRelay();
        byte[] failure = EventStreamFrameBuilder.Exception("modelStreamErrorException", """{"message":"broke"}""");

        // The two texts are held in an open chunk (the next frame is already here) when the failure arrives.
        upstream.Release([.. Start, .. First, .. Second, .. failure]);
        CallOutcome outcome = await run.WaitAsync(HangGuard);

        string body = Encoding.UTF8.GetString(responder.StreamedBody);
        Assert.StartsWith(
            OpenAiChunk("""{"role":"assistant","content":""}""") + OpenAiChunk("""{"content":"Hello"}""") + "event: error\ndata: {",
            body, StringComparison.Ordinal);
        Assert.EndsWith("}\n\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        Assert.NotNull(outcome.ErrorType);
    }

    [Fact]
    public async Task EventStreamExchange_UpstreamSilentAfterTwoFrames_BothAlreadyFlushedByteForByte()
    {
        var upstream = new GatedStream();
        var responder = new RecordingResponder();
        Channel<byte[]> chunks = Record(responder);
        var exchange = new EventStreamExchange(Client(upstream), TimeProvider.System);
        var call = new BedrockCall(BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, 0);

        Task<CallOutcome> run = exchange.RunAsync(ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), call);
        upstream.Release([.. Start, .. First]);

        byte[] first = await chunks.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);
        Assert.Equal([.. Start, .. First], first);

        upstream.Release(Second[..10]);
        upstream.Release([.. Second[10..], .. Stop]);
        byte[] second = await chunks.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);
        Assert.Equal([.. Second, .. Stop], second);

        upstream.End();
        CallOutcome outcome = await run.WaitAsync(HangGuard);
        Assert.Equal([.. Start, .. First, .. Second, .. Stop], responder.StreamedBody);
        Assert.True(responder.Completed);
        Assert.Null(outcome.ErrorType);
    }

    private static BedrockClient Client(GatedStream upstream) =>
        ExchangeTestKit.Client(new ScriptedBedrockTransport(_ => ScriptedBedrockTransport.EventStream(upstream)));

    private static Channel<byte[]> Record(RecordingResponder responder)
    {
        Channel<byte[]> chunks = Channel.CreateUnbounded<byte[]>();
        responder.OnChunk = chunk => chunks.Writer.TryWrite(chunk);
        return chunks;
    }

    /// <summary>A ConverseStream relayed as OpenAI chunks over an upstream the test releases piece by piece.</summary>
    private static (GatedStream Upstream, RecordingResponder Responder, Channel<byte[]> Chunks, Task<CallOutcome> Run) StartOpenAiRelay()
    {
        var upstream = new GatedStream();
        var responder = new RecordingResponder();
        Channel<byte[]> chunks = Record(responder);
        var exchange = new StreamExchange(Client(upstream), TimeProvider.System);
        var call = new BedrockCall(BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, 0);
        Task<CallOutcome> run = exchange.RunAsync(
            ExchangeTestKit.Context(responder, DeliveryMode.Streamed, []), call, ErrorStyle.OpenAi, new ChatStreamFormat("chatcmpl-1", 1, "m", includeUsage: false));
        return (upstream, responder, chunks, run);
    }

    /// <summary>One chunk as the OpenAI relay below writes it, with <paramref name="delta"/> as its delta.</summary>
    private static string OpenAiChunk(string delta, string finishReason = "null") =>
        """data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":"""
        + delta + ""","logprobs":null,"finish_reason":""" + (finishReason == "null" ? "null" : $"\"{finishReason}\"") + "}]}\n\n";

    private static async Task<string> NextAsync(Channel<byte[]> chunks) =>
        Encoding.UTF8.GetString(await chunks.Reader.ReadAsync().AsTask().WaitAsync(HangGuard));

    private static async Task EndsWithDoneAsync(GatedStream upstream, RecordingResponder responder, Task<CallOutcome> run)
    {
        upstream.End();
        CallOutcome outcome = await run.WaitAsync(HangGuard);
        Assert.Equal("data: [DONE]\n\n", Encoding.UTF8.GetString(responder.Chunks[^1]));
        Assert.Null(outcome.ErrorType);
    }
}
