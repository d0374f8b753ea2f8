using System.Net;
using System.Text.Json;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using BedrockLambdaProxy.IntegrationTests.Stack;
using BedrockLambdaProxy.Pricing;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.IntegrationTests.Pricing;

/// <summary>
/// Costs through the real bootstrap, dynalite and the simulator: each expected cost is computed here by hand from
/// the tokens the record carries and the list prices (µ$ per token = $ per million), rounded half up once per request.
/// </summary>
public sealed class CostStackTests(ProxyStackFixture stack) : IClassFixture<ProxyStackFixture>
{
    private const string Haiku45 = "anthropic.claude-haiku-4-5-20251001-v1:0";
    private const string Sonnet45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private const string Unpriced = "meta.llama3-8b-instruct-v1:0";

    [Fact]
    public async Task Converse_StreamedAndUnarySameTokens_SameCost()
    {
        string prompt = "Price me the same either way " + Guid.NewGuid().ToString("N");

        JsonElement unary = await SendAsync("global." + Haiku45, prompt, stream: false);
        JsonElement streamed = await SendAsync("global." + Haiku45, prompt, stream: true);

        Assert.True(streamed.GetProperty("streamed").GetBoolean());
        Assert.Equal(Tokens(unary), Tokens(streamed));
        Assert.False(streamed.GetProperty("estimated").GetBoolean());
        // Haiku 4.5 global: $1 in, $5 out per million = 1 and 5 µ$ per token.
        long expected = HalfUp((Tokens(unary).In * 1_000_000L) + (Tokens(unary).Out * 5_000_000L));
        Assert.Equal(expected, unary.GetProperty("cost_micro_usd").GetInt64());
        Assert.Equal(expected, streamed.GetProperty("cost_micro_usd").GetInt64());
        Assert.Equal(ShippedPrices.Version, streamed.GetProperty("price_version").GetString());
    }

    [Fact]
    public async Task Converse_CachePointWrittenThenRead_CacheTokensPricedAsSuch()
    {
        string prefix = string.Join(' ', Enumerable.Repeat("cached-context-" + Guid.NewGuid().ToString("N")[..8], 40));

        JsonElement write = await SendAsync("global." + Sonnet45, "What is in the context?", stream: false, cachedSystem: prefix);
        JsonElement read = await SendAsync("global." + Sonnet45, "What is in the context?", stream: true, cachedSystem: prefix);

        // Sonnet 4.5 global: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
        (long inW, long outW, long crW, long cwW) = Tokens(write);
        (long inR, long outR, long crR, long cwR) = Tokens(read);
        Assert.True(cwW > 0 && crW == 0, $"first request writes the cache: {write}");
        Assert.True(crR > 0 && cwR == 0, $"second request reads it: {read}");
        Assert.Equal(HalfUp((inW * 3_000_000L) + (outW * 15_000_000L) + (cwW * 3_750_000L)), write.GetProperty("cost_micro_usd").GetInt64());
        Assert.Equal(HalfUp((inR * 3_000_000L) + (outR * 15_000_000L) + (crR * 300_000L)), read.GetProperty("cost_micro_usd").GetInt64());
        // Priced as input instead, the read would cost ten times as much for its cached part.
        Assert.NotEqual(HalfUp(((inR + crR) * 3_000_000L) + (outR * 15_000_000L)), read.GetProperty("cost_micro_usd").GetInt64());
    }

    [Fact]
    public async Task Converse_GlobalAndGeographicProfiles_EachPricedAtItsTier()
    {
        string prompt = "Which tier am I " + Guid.NewGuid().ToString("N");

        JsonElement global = await SendAsync("global." + Sonnet45, prompt, stream: false);
        JsonElement geographic = await SendAsync("us." + Sonnet45, prompt, stream: false);

        Assert.Equal(Tokens(global), Tokens(geographic));
        (long input, long output, _, _) = Tokens(global);
        // Global: $3 / $15 per million; a geographic profile 10% more: $3.30 / $16.50.
        Assert.Equal(HalfUp((input * 3_000_000L) + (output * 15_000_000L)), global.GetProperty("cost_micro_usd").GetInt64());
        Assert.Equal(HalfUp((input * 3_300_000L) + (output * 16_500_000L)), geographic.GetProperty("cost_micro_usd").GetInt64());
    }

    [Fact]
    public async Task Converse_UnpricedModelThenOperatorPrice_NoCostCountedThenPricedWithinCacheTime()
    {
        string prompt = "Unpriced first " + Guid.NewGuid().ToString("N");

        JsonElement unpriced = await SendAsync(Unpriced, prompt, stream: false);

        Assert.True(unpriced.GetProperty("unpriced").GetBoolean());
        Assert.False(unpriced.TryGetProperty("cost_micro_usd", out _));
        var reader = new UsageReportReader(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.Usage, stack.Stack.Dynamo.Tables.RateLimits);
        string thisMonth = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        // The log line is written before the aggregate: wait for the month's write.
        await Eventually.TrueAsync(
            async () => (await reader.GetMonthAsync(stack.CustomerId, thisMonth, CancellationToken.None))?.UnpricedRequests >= 1,
            "the month counts the unpriced request");

        // $0.30 in, $0.60 out per million, as an operator would set it (prices set); AUTH_CACHE_SECONDS is 2 here.
        await new PriceStore(stack.Stack.Dynamo.Client, stack.Stack.Dynamo.Tables.RateLimits)
            .SetAsync(new ModelPrice(Unpriced, PriceTier.InRegion, 300_000, 600_000, 0, 0, "override-test"), CancellationToken.None);
        JsonElement priced = default;
        for (int attempt = 0; attempt < 40; attempt++)
        {
            priced = await SendAsync(Unpriced, prompt, stream: false);
            if (priced.TryGetProperty("price_version", out JsonElement version) && version.GetString() == "override-test")
            {
                break;
            }
            await Task.Delay(250);
        }

        Assert.Equal("override-test", priced.GetProperty("price_version").GetString());
        (long input, long output, _, _) = Tokens(priced);
        Assert.Equal(HalfUp((input * 300_000L) + (output * 600_000L)), priced.GetProperty("cost_micro_usd").GetInt64());
    }

    /// <summary>Sends one /converse request and returns its usage log line (found by the x-request-id header).</summary>
    private async Task<JsonElement> SendAsync(string model, string prompt, bool stream, string? cachedSystem = null)
    {
        string system = cachedSystem is null ? "" :
            ",\"system\":[{\"text\":" + JsonSerializer.Serialize(cachedSystem) + "},{\"cachePoint\":{\"type\":\"default\"}}]";
        string body = $$"""{"modelId":"{{model}}","stream":{{(stream ? "true" : "false")}}{{system}},"messages":[{"role":"user","content":[{"text":{{JsonSerializer.Serialize(prompt)}} """ + "}]}]}";
        using HttpResponseMessage response = await stack.Http.SendAsync(stack.Post(stack.FunctionUrl, "/converse", body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        string requestId = response.Headers.GetValues("x-request-id").Single();
        for (int i = 0; i < 200; i++)
        {
            JsonElement? line = stack.UsageLines(model).Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("request_id").GetString() == requestId);
            if (line is JsonElement found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no usage line for request {requestId}");
    }

    private static (long In, long Out, long CacheRead, long CacheWrite) Tokens(JsonElement line) => (
        line.GetProperty("input_tokens").GetInt64(),
        line.GetProperty("output_tokens").GetInt64(),
        line.GetProperty("cache_read_input_tokens").GetInt64(),
        line.GetProperty("cache_write_input_tokens").GetInt64());

    /// <summary>Tokens × µ$ per million is in millionths of a micro-dollar: one half-up rounding to the micro-dollar.</summary>
    private static long HalfUp(long picoUsd) => (picoUsd + 500_000) / 1_000_000;
}
