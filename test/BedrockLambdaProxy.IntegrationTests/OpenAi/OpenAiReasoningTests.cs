using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BedrockLambdaProxy.IntegrationTests.Proxy;

namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary>
/// <c>reasoning_effort</c> through the real bootstrap to the simulator's Claude, and the thinking round trip: reasoning
/// streamed as <c>reasoning_content</c>, the signed block handed back in <c>thinking_blocks</c>, and a two-round tool
/// flow with thinking on that the simulator refuses (a 400) when the signed block is lost or changed on its way back.
/// </summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class OpenAiReasoningTests(OpenAiStackFixture stack)
{
    private const string Question = "What is the most popular song on WZPZ?";
    private const string TopSong = """[{"type":"function","function":{"name":"top_song","parameters":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}}]""";
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(JsonObject request)
    {
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.FunctionUrl, "/v1/chat/completions", request.ToJsonString()), HttpCompletionOption.ResponseHeadersRead, Timeout);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Timeout));
    }

    private static JsonObject Chat(string model, bool stream, params JsonNode[] messages) => new()
    {
        ["model"] = model,
        ["stream"] = stream,
        ["reasoning_effort"] = "low",
        ["tools"] = JsonNode.Parse(TopSong),
        ["messages"] = new JsonArray(messages),
    };

    private static JsonNode User(string text) => new JsonObject { ["role"] = "user", ["content"] = text };

    private static JsonNode ToolResult(string id) =>
        new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = """{"song":"Elemental Hotel","artist":"8 Storey Hike"}""" };

    [Fact]
    public async Task Stream_ReasoningEffortOnClaude_ReasoningDeltasThenSignedBlockThenAnswer()
    {
        const string model = "anthropic.claude-sonnet-4-5-openai-think-stream-v1:0";
        JsonObject request = Chat(model, true, User("Hello there"));
        request.Remove("tools");

        (HttpStatusCode status, string text) = await PostAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
        List<JsonElement> deltas = [.. SseText.Parse(text).SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices")[0].GetProperty("delta"))];
        List<string> reasoning = [.. deltas.Where(d => d.TryGetProperty("reasoning_content", out _)).Select(d => d.GetProperty("reasoning_content").GetString()!)];
        const string Thinking = "The user asked: Hello there. I will answer with the scripted reply.";
        Assert.True(reasoning.Count >= 2, $"reasoning arrives in pieces, got {reasoning.Count}");
        Assert.Equal(Thinking, string.Concat(reasoning));
        JsonElement block = Assert.Single(deltas, d => d.TryGetProperty("thinking_blocks", out _)).GetProperty("thinking_blocks").EnumerateArray().Single();
        Assert.Equal(("thinking", Thinking), (block.GetProperty("type").GetString(), block.GetProperty("thinking").GetString()));
        Assert.False(string.IsNullOrEmpty(block.GetProperty("signature").GetString()));
        // Reasoning comes before the answer, as the model produced it.
        int firstContent = deltas.FindIndex(d => d.TryGetProperty("content", out JsonElement c) && c.GetString()!.Length > 0);
        Assert.True(deltas.FindLastIndex(d => d.TryGetProperty("thinking_blocks", out _)) < firstContent);
        Assert.Equal("Echo: Hello there", string.Concat(deltas.Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString())));

        // The usage record holds Bedrock's output count, thinking included: 12 words of thinking + 3 of answer.
        JsonElement record = await stack.UsageLineAsync(model);
        Assert.Equal((5, 15), (record.GetProperty("input_tokens").GetInt32(), record.GetProperty("output_tokens").GetInt32()));
    }

    [Fact]
    public async Task Stream_ThroughBufferedApiGateway_OneCompletionWithReasoningAndThinkingBlocks()
    {
        JsonObject request = Chat("anthropic.claude-sonnet-4-5-openai-think-gateway-v1:0", true, User("Hello there"));
        request.Remove("tools");
        using HttpResponseMessage response = await stack.Http.SendAsync(
            stack.Post(stack.ApiGatewayUrl, "/v1/chat/completions", request.ToJsonString()), Timeout);

        string body = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        JsonElement message = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("The user asked: Hello there. I will answer with the scripted reply.", message.GetProperty("reasoning_content").GetString());
        Assert.Equal(message.GetProperty("reasoning_content").GetString(), message.GetProperty("thinking_blocks")[0].GetProperty("thinking").GetString());
        Assert.Equal("Echo: Hello there", message.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolFlow_ThinkingOn_SecondRoundWithThinkingBlocksAnswers(bool stream)
    {
        string model = $"anthropic.claude-sonnet-4-5-openai-think-tools-{(stream ? "stream" : "unary")}-v1:0";
        (JsonObject assistant, string callId) = await FirstRoundAsync(model, stream);

        (HttpStatusCode status, string body) = await PostAsync(Chat(model, false, User(Question), assistant, ToolResult(callId)));

        Assert.True(status == HttpStatusCode.OK, body);
        JsonElement message = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.", message.GetProperty("content").GetString());
        Assert.Equal("thinking", message.GetProperty("thinking_blocks")[0].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("lost", "must start with a thinking block")]
    [InlineData("changed", "Invalid `signature` in `thinking` block")]
    public async Task ToolFlow_ThinkingBlockLostOrChanged_400FromBedrockInOpenAiShape(string how, string message)
    {
        (JsonObject assistant, string callId) = await FirstRoundAsync("anthropic.claude-sonnet-4-5-openai-think-" + how + "-v1:0", stream: false);
        if (how == "lost")
        {
            assistant.Remove("thinking_blocks");
        }
        else
        {
            JsonNode block = assistant["thinking_blocks"]![0]!;
            block["thinking"] = block["thinking"]!.GetValue<string>() + " ";
        }

        (HttpStatusCode status, string body) = await PostAsync(Chat("anthropic.claude-sonnet-4-5-openai-think-" + how + "-v1:0", false, User(Question), assistant, ToolResult(callId)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonElement error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_RedactedThinkingTrigger_RedactedBlockReturnedAndAcceptedBack()
    {
        const string model = "anthropic.claude-sonnet-4-5-openai-think-redacted-v1:0";
        const string trigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB";
        (HttpStatusCode status, string body) = await PostAsync(Chat(model, false, User(trigger + " top song on WZPZ")));
        Assert.True(status == HttpStatusCode.OK, body);
        JsonObject message = JsonNode.Parse(body)!["choices"]![0]!["message"]!.AsObject();
        Assert.Equal(["thinking", "redacted_thinking"], message["thinking_blocks"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()));
        string callId = message["tool_calls"]![0]!["id"]!.GetValue<string>();

        (HttpStatusCode second, string answer) = await PostAsync(Chat(model, false, User(trigger + " top song on WZPZ"), message.DeepClone(), ToolResult(callId)));

        Assert.True(second == HttpStatusCode.OK, answer);
    }

    /// <summary>Round one of the top_song flow with thinking on: the assistant message as a client keeps it, and the call's id.</summary>
    private async Task<(JsonObject Assistant, string CallId)> FirstRoundAsync(string model, bool stream)
    {
        (HttpStatusCode status, string body) = await PostAsync(Chat(model, stream, User(Question)));
        Assert.True(status == HttpStatusCode.OK, body);
        if (!stream)
        {
            JsonObject message = JsonNode.Parse(body)!["choices"]![0]!["message"]!.AsObject();
            Assert.Equal("tool_calls", JsonNode.Parse(body)!["choices"]![0]!["finish_reason"]!.GetValue<string>());
            return ((JsonObject)message.DeepClone(), message["tool_calls"]![0]!["id"]!.GetValue<string>());
        }

        // A streaming client rebuilds the message from its deltas: text, tool call pieces, and the thinking_blocks entries.
        var content = new System.Text.StringBuilder();
        var arguments = new System.Text.StringBuilder();
        var blocks = new JsonArray();
        string? id = null, name = null;
        foreach ((_, string data) in SseText.Parse(body).SkipLast(1))
        {
            JsonNode delta = JsonNode.Parse(data)!["choices"]![0]!["delta"]!;
            content.Append(delta["content"]?.GetValue<string>());
            foreach (JsonNode? block in delta["thinking_blocks"]?.AsArray() ?? [])
            {
                blocks.Add(block!.DeepClone());
            }
            if (delta["tool_calls"]?[0] is { } call)
            {
                id ??= call["id"]?.GetValue<string>();
                name ??= call["function"]!["name"]?.GetValue<string>();
                arguments.Append(call["function"]!["arguments"]!.GetValue<string>());
            }
        }
        var assistant = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = content.ToString(),
            ["thinking_blocks"] = blocks,
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments.ToString() },
            }),
        };
        return (assistant, id!);
    }
}
