using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Surfaces.OpenAi;
using BedrockLambdaProxy.Tests.Fakes;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

/// <summary>The embeddings surface over a Bedrock that answers each call from its body: order, parallelism, failures and the bill.</summary>
public sealed class OpenAiEmbeddingsSurfaceTests
{
    /// <summary>Answers concurrently (the scripted transport is sequential), recording each body and the peak of calls in flight.</summary>
    private sealed class BodyAnswering(Func<string, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        private int _inFlight;

        public ConcurrentQueue<string> Bodies { get; } = new();

        public int Peak;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Bodies.Enqueue(body);
            int now = Interlocked.Increment(ref _inFlight);
            int peak;
            while (now > (peak = Volatile.Read(ref Peak)) && Interlocked.CompareExchange(ref Peak, now, peak) != peak)
            {
            }
            try
            {
                return await answer(body);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>Titan's answer for "tN": the vector [N, -N], N + 1 input tokens in the header.</summary>
    private static HttpResponseMessage TitanAnswer(string body)
    {
        int n = int.Parse(JsonDocument.Parse(body).RootElement.GetProperty("inputText").GetString()![1..], System.Globalization.CultureInfo.InvariantCulture);
        return ScriptedBedrockTransport.Json(200, $$"""{"embedding":[{{n}},{{-n}}],"inputTextTokenCount":{{n + 1}}}""",
            ("X-Amzn-Bedrock-Input-Token-Count", (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("x-amzn-RequestId", "up-" + n));
    }

    private static string Inputs(int count) => string.Join(',', Enumerable.Range(0, count).Select(i => $"\"t{i}\""));

    /// <param name="seen">Receives the request's context after the exchange: what the usage record is built from.</param>
    private static async Task<(CallOutcome Outcome, int Status, JsonElement Body)> RunAsync(string request, BodyAnswering bedrock, Action<RequestContext>? seen = null)
    {
        var responder = new RecordingResponder();
        var surface = new OpenAiEmbeddingsSurface(new EmbeddingsExchange(ExchangeTestKit.Client(bedrock), TimeProvider.System));
        RequestContext context = ExchangeTestKit.Admitted(responder, DeliveryMode.Buffered, Encoding.UTF8.GetBytes(request), [new("x-ratelimit-limit-requests", "50")]);
        Assert.True(surface.TryPrepare(context, out BedrockCall? call, out ApiError? error), error?.Message);
        Assert.True(call!.GeneratesNoOutput);
        CallOutcome outcome = await surface.ExecuteAsync(context, call);
        seen?.Invoke(context);
        using JsonDocument envelope = JsonDocument.Parse(responder.Buffered!);
        int status = envelope.RootElement.GetProperty("statusCode").GetInt32();
        return (outcome, status, JsonDocument.Parse(envelope.RootElement.GetProperty("body").GetString()!).RootElement.Clone());
    }

    [Fact]
    public async Task ExecuteAsync_TitanTenInputsFinishingInReverse_AnswersInInputOrderAtMostFourInFlight()
    {
        // Later inputs answer sooner, so completion order is not input order.
        var bedrock = new BodyAnswering(async body =>
        {
            int n = int.Parse(JsonDocument.Parse(body).RootElement.GetProperty("inputText").GetString()![1..], System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay((10 - n) * 15);
            return TitanAnswer(body);
        });

        RequestContext? context = null;
        (CallOutcome outcome, int status, JsonElement body) = await RunAsync(
            $$"""{"model":"amazon.titan-embed-text-v2:0","input":[{{Inputs(10)}}]}""", bedrock, c => context = c);

        Assert.Equal(200, status);
        Assert.Equal(10, bedrock.Bodies.Count);
        Assert.InRange(bedrock.Peak, 2, EmbeddingsExchange.Parallelism);
        JsonElement data = body.GetProperty("data");
        Assert.Equal(Enumerable.Range(0, 10), data.EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), data.EnumerateArray().Select(d => d.GetProperty("embedding")[0].GetSingle()));
        // Bedrock's counts summed: (0+1) + (1+1) + ... + (9+1) = 55.
        Assert.Equal(55, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal((55L, 0L, false), (outcome.Tokens!.InputTokens, outcome.Tokens.OutputTokens, outcome.TokensEstimated));
        // Every call is named in the usage record.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "up-" + i).Order(), context!.BedrockRequestIds!.Order());
        Assert.Equal(10, context.BedrockCalls);
        Assert.Equal(context.BedrockRequestIds![0], context.BedrockRequestId);
    }

    [Fact]
    public async Task ExecuteAsync_TitanOneCallRefused_WholeRequestFailsAndServedCallsBilled()
    {
        var bedrock = new BodyAnswering(body => Task.FromResult(body.Contains("\"t3\"", StringComparison.Ordinal)
            ? ScriptedBedrockTransport.Json(400, """{"message":"Malformed input request: #/inputText: expected maxLength: 50000, actual: 50001, please reformat your input and try again."}""",
                ("x-amzn-ErrorType", "ValidationException"))
            : TitanAnswer(body)));

        RequestContext? context = null;
        (CallOutcome outcome, int status, JsonElement body) = await RunAsync(
            $$"""{"model":"amazon.titan-embed-text-v2:0","input":[{{Inputs(40)}}]}""", bedrock, c => context = c);

        Assert.Equal(400, status);
        Assert.StartsWith("Malformed input request", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("data", out _));
        // No call starts after the failure: at most the calls already in flight besides it finish.
        Assert.InRange(bedrock.Bodies.Count, 4, 4 + EmbeddingsExchange.Parallelism - 1);
        long served = bedrock.Bodies.Where(b => !b.Contains("\"t3\"", StringComparison.Ordinal))
            .Sum(b => long.Parse(JsonDocument.Parse(b).RootElement.GetProperty("inputText").GetString()![1..], System.Globalization.CultureInfo.InvariantCulture) + 1);
        Assert.Equal((400, "ValidationException", served), (outcome.HttpStatus, outcome.ErrorType, outcome.Tokens!.InputTokens));
        // The served calls, and only they, are named: the refused one is not a call Bedrock charges.
        string[] servedIds = [.. bedrock.Bodies.Where(b => !b.Contains("\"t3\"", StringComparison.Ordinal))
            .Select(b => "up-" + JsonDocument.Parse(b).RootElement.GetProperty("inputText").GetString()![1..]).Order()];
        Assert.Equal(servedIds, context!.BedrockRequestIds!.Order());
        Assert.Equal(servedIds.Length, context.BedrockCalls);
    }

    [Fact]
    public async Task ExecuteAsync_Cohere100TextsBase64_TwoBatchesAndBase64OfSameFloats()
    {
        var bedrock = new BodyAnswering(body =>
        {
            JsonElement texts = JsonDocument.Parse(body).RootElement.GetProperty("texts");
            string vectors = string.Join(',', texts.EnumerateArray().Select(t => $"[{t.GetString()![1..]}.25,0.1]"));
            return Task.FromResult(ScriptedBedrockTransport.Json(200, $$"""{"id":"c","embeddings":[{{vectors}}],"response_type":"embeddings_floats","texts":[]}""",
                ("X-Amzn-Bedrock-Input-Token-Count", texts.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture))));
        });

        (CallOutcome outcome, int status, JsonElement body) = await RunAsync(
            $$"""{"model":"cohere.embed-english-v3","input":[{{Inputs(100)}}],"encoding_format":"base64"}""", bedrock);

        Assert.Equal(200, status);
        Assert.Equal([96, 4], bedrock.Bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("texts").GetArrayLength()).Order().Reverse());
        Assert.All(bedrock.Bodies, b => Assert.Contains("\"input_type\":\"search_document\"", b, StringComparison.Ordinal));
        byte[] bytes = Convert.FromBase64String(body.GetProperty("data")[97].GetProperty("embedding").GetString()!);
        Assert.Equal([97.25f, 0.1f], [BitConverter.ToSingle(bytes, 0), BitConverter.ToSingle(bytes, 4)]);
        Assert.Equal(100, outcome.Tokens!.InputTokens);
    }

    [Fact]
    public async Task ExecuteAsync_NoTokenCountHeader_EstimatedNeverZero()
    {
        var bedrock = new BodyAnswering(_ => Task.FromResult(ScriptedBedrockTransport.Json(200, """{"embeddings":[[0.5]]}""")));

        (CallOutcome outcome, int status, _) = await RunAsync("""{"model":"cohere.embed-english-v3","input":"Hello there"}""", bedrock);

        Assert.Equal(200, status);
        Assert.True(outcome.TokensEstimated);
        Assert.True(outcome.Tokens!.InputTokens > 0);
    }

    [Fact]
    public async Task ExecuteAsync_UnreadableAnswer_502AndCallBilled()
    {
        var bedrock = new BodyAnswering(_ => Task.FromResult(ScriptedBedrockTransport.Json(200, """{"embeddings":[]}""", ("X-Amzn-Bedrock-Input-Token-Count", "6"))));

        (CallOutcome outcome, int status, _) = await RunAsync("""{"model":"cohere.embed-english-v3","input":"Hello there"}""", bedrock);

        Assert.Equal((502, 502, 6L), (status, outcome.HttpStatus, outcome.Tokens!.InputTokens));
    }
}
