using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Proxy;
using OpenAI;
using OpenAI.Chat;

namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary>
/// The official OpenAI library for .NET (NuGet <c>OpenAI</c>), unmodified, pointed at the proxy's
/// <c>/v1</c> with a proxy key: an independent judge of the wire format, streaming included.
/// </summary>
[Collection(OpenAiStackCollection.Name)]
public sealed class OpenAiDotNetClientTests(OpenAiStackFixture stack)
{
    private const string Claude = "anthropic.claude-3-haiku-20240307-v1:0";
    private const string Question = "What is the most popular song on WZPZ?";
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    /// <summary>The seed's tool: the most popular song on a radio station, by call sign.</summary>
    private static readonly ChatTool TopSong = ChatTool.CreateFunctionTool(
        "top_song",
        "Get the most popular song played on a radio station.",
        BinaryData.FromString("""{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}"""));

    private ChatClient Client(string model, string? key = null, Uri? front = null) =>
        new(model, new ApiKeyCredential(key ?? stack.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(front ?? stack.FunctionUrl, "v1"),
            // The proxy's own answer is what is under test, not the library's retries of it.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        });

    [Fact]
    public async Task CompleteChat_HelloThere_TextStopAndBedrockCounts()
    {
        ChatCompletion completion = await Client("amazon.nova-lite-v1:0").CompleteChatAsync(
            [new SystemChatMessage("Answer briefly."), new UserChatMessage("Hello there")], cancellationToken: Timeout);

        Assert.Equal("Echo: Hello there", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        // The simulator counts the system text as input too: 5 for the user text, 2 for "Answer briefly.".
        Assert.Equal((7, 3, 10), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount));
    }

    [Fact]
    public async Task CompleteChatStreaming_HelloThere_ReassemblesTextWithUsage()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        int updates = 0;
        await foreach (StreamingChatCompletionUpdate update in Client("amazon.nova-lite-v1:0").CompleteChatStreamingAsync(
            [new UserChatMessage("Hello there")], cancellationToken: Timeout))
        {
            updates++;
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.Equal("Echo: Hello there", text.ToString());
        Assert.True(updates > 3, $"the answer arrives in pieces, got {updates} updates");
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal((5, 3), (usage!.InputTokenCount, usage.OutputTokenCount));
    }

    [Fact]
    public async Task CompleteChat_TopSongToolFlow_TwoRounds()
    {
        ChatClient client = Client(Claude);
        var options = new ChatCompletionOptions { Tools = { TopSong } };
        List<ChatMessage> messages = [new UserChatMessage(Question)];

        ChatCompletion first = await client.CompleteChatAsync(messages, options, Timeout);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal("Let me call top_song.", first.Content.Single().Text);
        ChatToolCall call = first.ToolCalls.Single();
        Assert.Equal("top_song", call.FunctionName);
        Assert.Equal("""{"sign":"WZPZ"}""", call.FunctionArguments.ToString());
        Assert.Equal((11, 14), (first.Usage.InputTokenCount, first.Usage.OutputTokenCount));

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"song":"Elemental Hotel","artist":"8 Storey Hike"}"""));
        ChatCompletion second = await client.CompleteChatAsync(messages, options, Timeout);

        Assert.Equal("The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.", second.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal((15, 13), (second.Usage.InputTokenCount, second.Usage.OutputTokenCount));
    }

    [Fact]
    public async Task CompleteChatStreaming_TopSongToolFlow_ArgumentDeltasThenAnswer()
    {
        ChatClient client = Client(Claude);
        var options = new ChatCompletionOptions { Tools = { TopSong } };
        List<ChatMessage> messages = [new UserChatMessage(Question)];

        var text = new StringBuilder();
        var arguments = new StringBuilder();
        string? id = null, name = null;
        int argumentDeltas = 0;
        ChatFinishReason? finish = null;
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync(messages, options, Timeout))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            foreach (StreamingChatToolCallUpdate tool in update.ToolCallUpdates)
            {
                Assert.Equal(0, tool.Index);
                id ??= tool.ToolCallId;
                name ??= tool.FunctionName;
                if (tool.FunctionArgumentsUpdate is { } piece && piece.ToMemory().Length > 0)
                {
                    arguments.Append(piece.ToString());
                    argumentDeltas++;
                }
            }
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("Let me call top_song.", text.ToString());
        Assert.Equal("top_song", name);
        Assert.Equal("""{"sign":"WZPZ"}""", arguments.ToString());
        Assert.True(argumentDeltas >= 3, $"tool arguments arrive in pieces, got {argumentDeltas}");

        messages.Add(new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall(id!, name!, BinaryData.FromString(arguments.ToString()))]));
        messages.Add(new ToolChatMessage(id!, """{"song":"Elemental Hotel","artist":"8 Storey Hike"}"""));
        var answer = new StringBuilder();
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync(messages, options, Timeout))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                answer.Append(part.Text);
            }
        }
        Assert.Equal("The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.", answer.ToString());
    }

    private const string ThinkingClaude = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    // The library has no typed reasoning_content or thinking_blocks: they are read and written through its JsonPatch
    // (the models' Patch property, experimental SCME0001), which holds the JSON members the library does not model.
#pragma warning disable SCME0001, OPENAI001 // experimental in the library: JsonPatch, and reasoning_effort (ReasoningEffortLevel)
    [Fact]
    public async Task CompleteChatStreaming_ReasoningEffortLow_ReasoningTextFromThePatchThenAnswer()
    {
        var options = new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.Low };
        var reasoning = new StringBuilder();
        var text = new StringBuilder();
        int reasoningUpdates = 0;
        await foreach (StreamingChatCompletionUpdate update in Client(ThinkingClaude).CompleteChatStreamingAsync(
            [new UserChatMessage("Hello there")], options, Timeout))
        {
            if (update.Patch.TryGetValue("$.choices[0].delta.reasoning_content"u8, out string? piece) && piece is not null)
            {
                Assert.Equal(0, text.Length);
                reasoning.Append(piece);
                reasoningUpdates++;
            }
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("The user asked: Hello there. I will answer with the scripted reply.", reasoning.ToString());
        Assert.True(reasoningUpdates >= 2, $"reasoning arrives in pieces, got {reasoningUpdates}");
        Assert.Equal("Echo: Hello there", text.ToString());
    }

    [Fact]
    public async Task CompleteChat_TopSongToolFlowWithThinking_ThinkingBlocksSentBackThroughThePatch()
    {
        ChatClient client = Client(ThinkingClaude);
        var options = new ChatCompletionOptions { Tools = { TopSong }, ReasoningEffortLevel = ChatReasoningEffortLevel.Low };
        List<ChatMessage> messages = [new UserChatMessage(Question)];

        ChatCompletion first = await client.CompleteChatAsync(messages, options, Timeout);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.True(first.Patch.TryGetJson("$.choices[0].message.thinking_blocks"u8, out ReadOnlyMemory<byte> blocks), "the answer carries thinking_blocks");
        Assert.True(first.Patch.TryGetValue("$.choices[0].message.reasoning_content"u8, out string? reasoning));
        Assert.StartsWith("The user asked: ", reasoning, StringComparison.Ordinal);
        ChatToolCall call = first.ToolCalls.Single();

        // What the library's AssistantChatMessage(first) loses, the patch puts back: the signed block, byte for byte.
        var assistant = new AssistantChatMessage(first);
        assistant.Patch.Set("$.thinking_blocks"u8, BinaryData.FromBytes(blocks));
        messages.Add(assistant);
        messages.Add(new ToolChatMessage(call.Id, """{"song":"Elemental Hotel","artist":"8 Storey Hike"}"""));
        ChatCompletion second = await client.CompleteChatAsync(messages, options, Timeout);

        Assert.Equal("The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.", second.Content.Single().Text);

        // Without the patch the library drops the block, and Bedrock (here the simulator) refuses the second round.
        messages[1] = new AssistantChatMessage(first);
        ClientResultException refused = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync(messages, options, Timeout));
        Assert.Equal(400, refused.Status);
        Assert.Contains("must start with a thinking block", refused.Message, StringComparison.Ordinal);
    }
#pragma warning restore SCME0001, OPENAI001

    [Fact]
    public async Task CompleteChat_ThroughBufferedApiGateway_Answers()
    {
        // A buffered front answers even a streamed request with one chat.completion (README), which
        // a stream reader cannot use: through API Gateway REST, clients ask unary.
        ChatCompletion completion = await Client("amazon.nova-lite-v1:0", front: stack.ApiGatewayUrl).CompleteChatAsync(
            [new UserChatMessage("through the gateway")], cancellationToken: Timeout);

        Assert.Equal("Echo: through the gateway", completion.Content.Single().Text);
    }

    [Fact]
    public async Task CompleteChat_OverRequestsPerMinute_ClientResultException429()
    {
        (string key, _) = await stack.Stack.AddCustomerAsync("openai-dotnet-rpm", new CustomerLimits(1, null, null, null), [], Timeout);
        ChatClient client = Client("amazon.nova-lite-v1:0", key);
        await client.CompleteChatAsync([new UserChatMessage("one")], cancellationToken: Timeout);

        ClientResultException error = await Assert.ThrowsAsync<ClientResultException>(
            () => client.CompleteChatAsync([new UserChatMessage("two")], cancellationToken: Timeout));

        Assert.Equal(429, error.Status);
        Assert.NotNull(error.GetRawResponse()!.Headers.TryGetValue("retry-after", out string? retryAfter) ? retryAfter : null);
        Assert.Contains("rate_limit_exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_UnknownKey_ClientResultException401()
    {
        ClientResultException error = await Assert.ThrowsAsync<ClientResultException>(
            () => Client("amazon.nova-lite-v1:0", "blp_not_a_real_key").CompleteChatAsync([new UserChatMessage("x")], cancellationToken: Timeout));

        Assert.Equal(401, error.Status);
        Assert.Contains("invalid_api_key", error.Message, StringComparison.Ordinal);
    }
}
