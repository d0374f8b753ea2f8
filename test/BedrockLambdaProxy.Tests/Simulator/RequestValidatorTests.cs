using System.Net;
using System.Text.Json;
using BedrockSimulator;
using BedrockSimulator.Scripts;
using BedrockSimulator.Surfaces;
using BedrockSimulator.Validation;

namespace BedrockLambdaProxy.Tests.Simulator;

/// <summary>The simulator refuses what Bedrock refuses, in Bedrock's words, and takes what Bedrock takes.</summary>
public sealed class RequestValidatorTests
{
    private const string User = """{"role":"user","content":[{"text":"hi"}]}""";
    private const string Assistant = """{"role":"assistant","content":[{"text":"hello"}]}""";
    private const string Tools = """{"toolConfig":{"tools":[{"toolSpec":{"name":"top_song","inputSchema":{"json":{"type":"object"}}}}]}}""";

    private static string Converse(string messages, string extra = "") =>
        $$"""{"messages":[{{messages}}]{{(extra.Length > 0 ? "," + extra[1..^1] : "")}}}""";

    private static string? ValidateConverse(string body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        return RequestValidator.Converse(document.RootElement);
    }

    private static string? ValidateInvoke(string modelId, string body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        NativeFormat format = NativeFormat.Select(modelId, document.RootElement)!;
        return RequestValidator.Invoke(format, document.RootElement);
    }

    public static TheoryData<string> ValidConverse => new()
    {
        Converse(User),
        Converse($"{User},{Assistant},{User}"),
        Converse("""{"role":"user","content":[{"text":"hi"},{"cachePoint":{"type":"default"}}]}""",
            """{"system":[{"text":"be brief"},{"cachePoint":{"type":"default"}}],"inferenceConfig":{"maxTokens":1,"temperature":0,"topP":1,"stopSequences":["x"]}}"""),
        Converse(User, Tools[..^1] + ""","unknownTopLevel":1}"""),
        Converse(User, """{"toolConfig":{"tools":[{"toolSpec":{"name":"a-b_c","inputSchema":{"json":{}}}}],"toolChoice":{"tool":{"name":"a-b_c"}}}}"""),
        Converse(User + """,{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"top_song","input":{"sign":"WZPZ"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"json":{"song":"x"}}],"status":"success"}}]}""", Tools),
        Converse("""{"role":"user","content":[{"text":"look"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]}"""),
        Converse("""{"role":"user","content":[{"document":{"format":"txt","name":"notes","source":{"bytes":"aGk="}}},{"text":"sum up"}]}"""),
        Converse(User, """{"inferenceConfig":{"maxTokens":null},"additionalModelRequestFields":{"top_k":5},"performanceConfig":{"latency":"optimized"}}"""),
        Converse(User + """,{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"hmm","signature":"@S@"}}},{"text":"ok"}]},""".Replace("@S@", ThinkingSignature.Sign("hmm"), StringComparison.Ordinal) + User),
        Converse(User, Thinking),
        Converse(User + ToolTurn(Signed) + ToolResult, Thinking[..^1] + "," + Tools[1..]),
    };

    [Theory]
    [MemberData(nameof(ValidConverse))]
    public void Converse_BodyBedrockAccepts_Accepted(string body) => Assert.Null(ValidateConverse(body));

    public static TheoryData<string, string> InvalidConverse => new()
    {
        { """{"messages":"hi"}""", "The format of the value at messages is invalid. Provide a list for the field and try again." },
        { """{}""", "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null" },
        { """{"messages":[]}""", ConversationRules.EmptyMessages },
        { Converse("""{"role":"system","content":[{"text":"x"}]}"""),
            "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]" },
        { Converse(Assistant), ConversationRules.FirstNotUser },
        { Converse($"{User},{User}"), ConversationRules.NotAlternating },
        { Converse("""{"role":"user","content":[{"type":"text","text":"hi"}]}"""),
            "The ContentBlock object at messages.0.content.0 sets type, text; set exactly one of: text, image, document, video, audio, toolUse, toolResult, guardContent, cachePoint, reasoningContent, citationsContent, searchResult, and try again." },
        { Converse("""{"role":"user","content":[{"banana":{}}]}"""),
            "The ContentBlock object at messages.0.content.0 sets banana; set exactly one of: text, image, document, video, audio, toolUse, toolResult, guardContent, cachePoint, reasoningContent, citationsContent, searchResult, and try again." },
        { Converse("""{"role":"user","content":[]}"""),
            "The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again." },
        { Converse("""{"role":"user","content":[{"text":"  "}]}"""),
            "The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again." },
        { Converse(User, """{"inferenceConfig":{"maxTokens":-1}}"""),
            "1 validation error detected: Value '-1' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1" },
        { Converse(User, """{"inferenceConfig":{"maxTokens":"many"}}"""),
            "The format of the value at inferenceConfig.maxTokens is invalid. Provide an integer for the field and try again." },
        { Converse(User, """{"inferenceConfig":{"maxTokens":1e400}}"""),
            "1 validation error detected: Value '1e400' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value less than or equal to 2147483647" },
        { Converse(User, """{"inferenceConfig":{"temperature":"hot"}}"""),
            "The format of the value at inferenceConfig.temperature is invalid. Provide a number for the field and try again." },
        { Converse(User, """{"inferenceConfig":{"topP":1.5}}"""),
            "1 validation error detected: Value '1.5' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value less than or equal to 1" },
        { Converse(User, """{"inferenceConfig":{"stopSequences":"END"}}"""),
            "The format of the value at inferenceConfig.stopSequences is invalid. Provide a list for the field and try again." },
        { Converse(User, """{"toolConfig":{"tools":{}}}"""),
            "The format of the value at toolConfig.tools is invalid. Provide a list for the field and try again." },
        { Converse(User, """{"toolConfig":{"tools":[{"toolSpec":{"inputSchema":{"json":{}}}}]}}"""),
            "1 validation error detected: Value null at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must not be null" },
        { Converse(User, """{"toolConfig":{"tools":[{"toolSpec":{"name":"top song","inputSchema":{"json":{}}}}]}}"""),
            "1 validation error detected: Value 'top song' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$" },
        { Converse(User, """{"toolConfig":{"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":"{}"}}}]}}"""),
            "The format of the value at toolConfig.tools.0.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try again." },
        { Converse(User, """{"toolConfig":{"toolChoice":{"auto":{}}}}"""),
            "1 validation error detected: Value null at 'toolConfig.tools' failed to satisfy constraint: Member must not be null" },
        { Converse("""{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"not base64!"}}}]}"""),
            "The format of the value at messages.0.content.0.image.source.bytes is invalid. Provide base64-encoded bytes for the field and try again." },
        { Converse("""{"role":"user","content":[{"image":{"format":"bmp","source":{"bytes":"aGk="}}}]}"""),
            "1 validation error detected: Value 'bmp' at 'messages.1.member.content.1.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]" },
        { Converse(User + """,{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"x","input":{}}}]},""" + User),
            ConversationRules.ToolBlocksWithoutConfig },
        { Converse(User, """{"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{}}}},{"toolSpec":{"name":"a","inputSchema":{"json":{}}}}]}}"""),
            "The toolConfig.tools field has more than one tool named a (at toolConfig.tools.1). Give each tool a unique name and try again." },
        { Converse(User, """{"toolConfig":{"tools":[{"toolSpec":{"name":"a","inputSchema":{"json":{}}}}],"toolChoice":{"tool":{"name":"b"}}}}"""),
            "The tool b in toolConfig.toolChoice.tool isn't defined in toolConfig.tools. Specify a tool that's defined in toolConfig.tools and try again." },
        { Converse(User, """{"toolConfig":{"toolChoice":{"auto":{}}}}"""),
            "1 validation error detected: Value null at 'toolConfig.tools' failed to satisfy constraint: Member must not be null" },
        { Converse(User, """{"toolConfig":{"tools":[{"toolSpec":{"name":"top song","inputSchema":{"json":{}}}}]}}"""),
            "1 validation error detected: Value 'top song' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$" },
        { Converse(User + """,{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"top_song","input":{}}},{"toolUse":{"toolUseId":"t2","name":"top_song","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"x"}]}}]}""", Tools),
            "Expected toolResult blocks at messages.2.content for the following Ids: t2" },
        { Converse(User + """,{"role":"assistant","content":[{"text":"no tools"}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"x"}]}}]}""", Tools),
            "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn." },
        { Converse("""{"role":"user","content":[{"cachePoint":{"type":"forever"}}]}"""),
            "1 validation error detected: Value 'forever' at 'messages.1.member.content.1.member.cachePoint.type' failed to satisfy constraint: Member must satisfy enum value set: [default]" },
    };

    private const string Thinking = """{"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}}""";

    private const string ToolResult = """,{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"x"}]}}]}""";

    private static readonly string Signed = """{"reasoningContent":{"reasoningText":{"text":"hmm","signature":"@S@"}}},""".Replace("@S@", ThinkingSignature.Sign("hmm"), StringComparison.Ordinal);

    private static string ToolTurn(string first) =>
        """,{"role":"assistant","content":[FIRST{"toolUse":{"toolUseId":"t1","name":"top_song","input":{}}}]}""".Replace("FIRST", first, StringComparison.Ordinal);

    private static string WithTools(string fields) => fields[..^1] + "," + Tools[1..];

    /// <summary>Claude's thinking rules, in the words Bedrock's Converse relays them (langchain-ai/langchain-aws#844).</summary>
    public static TheoryData<string, string> InvalidThinking => new()
    {
        { Converse(User + ToolTurn("""{"text":"Let me call top_song."},""") + ToolResult, WithTools(Thinking)),
            ConverseThinkingRules.ModelErrors + "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`. When `thinking` is enabled, "
            + "a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). "
            + "We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. "
            + "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking" },
        { Converse(User + ToolTurn("") + ToolResult, WithTools(Thinking)),
            ConverseThinkingRules.ModelErrors + AnthropicBedrockRules.ThinkingNotFirst(1, "tool_use") },
        { Converse(User + ToolTurn(Signed.Replace("hmm", "hmmm", StringComparison.Ordinal)) + ToolResult, WithTools(Thinking)),
            ConverseThinkingRules.ModelErrors + "messages.1.content.0: Invalid `signature` in `thinking` block" },
        { Converse(User + ToolTurn("""{"reasoningContent":{"reasoningText":{"text":"hmm"}}},""") + ToolResult, WithTools(Thinking)),
            ConverseThinkingRules.ModelErrors + "messages.1.content.0.thinking.signature: Field required" },
        { Converse(User + ToolTurn("""{"reasoningContent":{"redactedContent":"aGk="}},""") + ToolResult, WithTools(Thinking)),
            ConverseThinkingRules.ModelErrors + "messages.1.content.0: Invalid `data` in `redacted_thinking` block" },
        { Converse(User, """{"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1023}}}"""),
            ConverseThinkingRules.ModelErrors + AnthropicBedrockRules.BudgetTooSmall },
        { Converse(User, """{"inferenceConfig":{"maxTokens":1024},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}}"""),
            ConverseThinkingRules.ModelErrors + AnthropicBedrockRules.MaxTokensNotAboveBudget },
        { Converse(User, """{"inferenceConfig":{"temperature":0.5},"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}}"""),
            ConverseThinkingRules.ModelErrors + "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility" },
        { Converse(User, WithTools(Thinking)[..^2] + ""","toolChoice":{"any":{}}}}"""),
            ConverseThinkingRules.ModelErrors + "Thinking may not be enabled when tool_choice forces tool use." },
    };

    [Theory]
    [MemberData(nameof(InvalidThinking))]
    public void Converse_ThinkingRuleBroken_RefusedInBedrocksWords(string body, string message) =>
        Assert.Equal(message, ValidateConverse(body));

    [Theory]
    [MemberData(nameof(InvalidConverse))]
    public void Converse_BodyBedrockRefuses_RefusedInBedrocksWords(string body, string message) =>
        Assert.Equal(message, ValidateConverse(body));

    private const string Claude = "anthropic.claude-3-haiku-20240307-v1:0";

    public static TheoryData<string, string> ValidInvoke => new()
    {
        { Claude, """{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""" },
        { Claude, """{"anthropic_version":"bedrock-2023-05-31","anthropic_beta":["prompt-caching-2024-07-31"],"max_tokens":10,"system":[{"type":"text","text":"be brief","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}],"tools":[{"name":"mcp__fs__read","description":"read","input_schema":{"type":"object"}},{"type":"bash_20250124","name":"bash"}],"tool_choice":{"type":"auto"},"thinking":{"type":"enabled","budget_tokens":1024},"metadata":{"user_id":"u"}}""" },
        { Claude, """{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"system":"be brief","messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"aGk="}},{"type":"some_future_block","x":1}]}]}""" },
        { "amazon.nova-lite-v1:0", """{"schemaVersion":"messages-v1","system":[{"text":"be brief"}],"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"max_new_tokens":10,"temperature":0.5,"top_k":20}}""" },
        { "amazon.titan-text-express-v1", """{"inputText":"hi","textGenerationConfig":{"maxTokenCount":10,"temperature":0,"topP":0.9,"stopSequences":[]}}""" },
    };

    [Theory]
    [MemberData(nameof(ValidInvoke))]
    public void Invoke_BodyBedrockAccepts_Accepted(string modelId, string body) => Assert.Null(ValidateInvoke(modelId, body));

    public static TheoryData<string, string, string> InvalidInvoke => new()
    {
        { Claude, """{"anthropic_version":"bedrock-2023-05-31","messages":[{"role":"user","content":"hi"}]}""", "#: required key [max_tokens] not found" },
        { Claude, """{"max_tokens":1,"messages":[{"role":"user","content":"hi"}]}""", "#: required key [anthropic_version] not found" },
        { Claude, """{"anthropic_version":"x","max_tokens":"many","messages":[]}""", "#/max_tokens: expected type: Integer, found: String" },
        { Claude, """{"anthropic_version":"x","max_tokens":0,"messages":[]}""", "#/max_tokens: 0 is not greater or equal to 1" },
        { Claude, """{"anthropic_version":"x","max_tokens":5,"messages":[]}""", "#/messages: expected minimum item count: 1, found: 0" },
        { Claude, """{"anthropic_version":"x","max_tokens":5,"messages":[{"role":"robot","content":"hi"}]}""", "#/messages/0/role: robot is not a valid enum value" },
        { Claude, """{"anthropic_version":"x","max_tokens":5,"messages":[{"role":"user","content":5}]}""", "#/messages/0/content: expected type: String or JSONArray, found: Integer" },
        { Claude, """{"anthropic_version":"x","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]}""", "#/temperature: 1.5 is not less or equal to 1" },
        { Claude, """{"anthropic_version":"x","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"bad name!"}]}""", "#/tools/0/name: string [bad name!] does not match pattern ^[a-zA-Z0-9_-]{1,64}$" },
        { Claude, """{"anthropic_version":"x","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"tool"}}""", "#/tool_choice: required key [name] not found" },
        { Claude, """{"anthropic_version":"x","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}]}]}""", "#/messages/0/content/0/source/data: string is not valid base64" },
        { "amazon.nova-lite-v1:0", """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"max_new_tokens":"many"}}""", "#/inferenceConfig/max_new_tokens: expected type: Integer, found: String" },
        { "amazon.nova-lite-v1:0", """{"messages":"hi"}""", "#/messages: expected type: JSONArray, found: String" },
        { "amazon.titan-text-express-v1", """{"inputText":5}""", "#/inputText: expected type: String, found: Integer" },
        { "amazon.titan-text-express-v1", """{"prompt":"hi"}""", "#: required key [inputText] not found" },
    };

    [Theory]
    [MemberData(nameof(InvalidInvoke))]
    public void Invoke_BodyBedrockRefuses_MalformedInputRequest(string modelId, string body, string problem) =>
        Assert.Equal($"Malformed input request: {problem}, please reformat your input and try again.", ValidateInvoke(modelId, body));

    [Fact]
    public async Task Simulator_InvalidConverse_Answers400ValidationExceptionShape()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions { Port = 0 }, CancellationToken.None);
        using HttpClient client = SimulatorHttp.SignedClient();

        using HttpResponseMessage response = await client.SendAsync(SimulatorHttp.Post(server, "amazon.nova-lite-v1:0", "converse-stream",
            Converse("""{"role":"user","content":[{"text":"hi"}]}""", """{"inferenceConfig":{"temperature":"hot"}}""")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException:", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("The format of the value at inferenceConfig.temperature is invalid. Provide a number for the field and try again.",
            body.RootElement.GetProperty("message").GetString());
    }
}
