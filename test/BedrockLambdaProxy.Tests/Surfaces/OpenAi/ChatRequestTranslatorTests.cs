using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

public sealed class ChatRequestTranslatorTests
{
    private const string TopSong =
        """{"type":"function","function":{"name":"top_song","description":"Most popular song on a station.","parameters":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}}""";

    private const string TopSongSpec =
        """{"toolSpec":{"name":"top_song","description":"Most popular song on a station.","inputSchema":{"json":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}}}""";

    private static ChatRequest Translate(string json)
    {
        bool ok = ChatRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), out ChatRequest? request, out ApiError? error);
        Assert.True(ok, error?.Message);
        return request!;
    }

    private static string Converse(string json) => Encoding.UTF8.GetString(Translate(json).ConverseBody.Span);

    private static ApiError Refused(string json)
    {
        Assert.False(ChatRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), out _, out ApiError? error));
        Assert.Equal(400, error!.StatusCode);
        return error;
    }

    [Fact]
    public void TryTranslate_SimpleUserMessage_ExactConverseBody()
    {
        ChatRequest request = Translate("""{"model":"amazon.nova-lite-v1:0","messages":[{"role":"user","content":"Hello there"}]}""");

        Assert.Equal("amazon.nova-lite-v1:0", request.Model);
        Assert.False(request.Stream);
        Assert.Equal(0, request.MaxOutputTokens);
        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}""", Encoding.UTF8.GetString(request.ConverseBody.Span));
    }

    [Fact]
    public void TryTranslate_EveryRoleAndPart_ExactConverseBody()
    {
        string body = Converse("""
            {"model":"anthropic.claude-3-haiku-20240307-v1:0",
             "messages":[
               {"role":"system","content":"Be brief."},
               {"role":"developer","content":[{"type":"text","text":"Answer in English."}]},
               {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]},
               {"role":"user","content":"And the top song on WZPZ?"},
               {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}}]},
               {"role":"tool","tool_call_id":"call_1","content":"{\"song\":\"Elemental Hotel\",\"artist\":\"8 Storey Hike\"}"},
               {"role":"user","content":"Thanks. Say it again."},
               {"role":"assistant","content":[{"type":"text","text":"Sure."}]},
               {"role":"user","content":"Go"}],
             "tools":[@TopSong@],"tool_choice":"auto",
             "max_tokens":200,"temperature":0.5,"top_p":0.9,"stop":["END"],"stream":false,"user":"u-42","seed":7}
            """.Replace("@TopSong@", TopSong, StringComparison.Ordinal));

        Assert.Equal(
            """{"messages":["""
            + """{"role":"user","content":[{"text":"What is this?"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}},{"text":"And the top song on WZPZ?"}]},"""
            + """{"role":"assistant","content":[{"toolUse":{"toolUseId":"call_1","name":"top_song","input":{"sign":"WZPZ"}}}]},"""
            + """{"role":"user","content":[{"toolResult":{"toolUseId":"call_1","content":[{"json":{"song":"Elemental Hotel","artist":"8 Storey Hike"}}]}},{"text":"Thanks. Say it again."}]},"""
            + """{"role":"assistant","content":[{"text":"Sure."}]},"""
            + """{"role":"user","content":[{"text":"Go"}]}],"""
            + "\"system\":[{\"text\":\"Be brief.\"},{\"text\":\"Answer in English.\"}],"
            + "\"inferenceConfig\":{\"maxTokens\":200,\"temperature\":0.5,\"topP\":0.9,\"stopSequences\":[\"END\"]},"
            + "\"toolConfig\":{\"tools\":[@TopSongSpec@],\"toolChoice\":{\"auto\":{}}}}".Replace("@TopSongSpec@", TopSongSpec, StringComparison.Ordinal),
            body);
    }

    [Fact]
    public void TryTranslate_ConsecutiveToolResults_OneUserTurnResultsFirst()
    {
        string body = Converse("""
            {"model":"m.x-v1","tools":[@TopSong@],"messages":[
              {"role":"user","content":"Two stations?"},
              {"role":"assistant","content":"Calling.","tool_calls":[
                {"id":"a","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"A\"}"}},
                {"id":"b","type":"function","function":{"name":"top_song","arguments":""}}]},
              {"role":"tool","tool_call_id":"a","content":"plain text"},
              {"role":"tool","tool_call_id":"b","content":[{"type":"text","text":"[1,2]"}]}]}
            """.Replace("@TopSong@", TopSong, StringComparison.Ordinal));

        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Two stations?"}]},"""
            + """{"role":"assistant","content":[{"text":"Calling."},{"toolUse":{"toolUseId":"a","name":"top_song","input":{"sign":"A"}}},{"toolUse":{"toolUseId":"b","name":"top_song","input":{}}}]},"""
            + """{"role":"user","content":[{"toolResult":{"toolUseId":"a","content":[{"text":"plain text"}]}},{"toolResult":{"toolUseId":"b","content":[{"text":"[1,2]"}]}}]}],"""
            + "\"toolConfig\":{\"tools\":[@TopSongSpec@]}}".Replace("@TopSongSpec@", TopSongSpec, StringComparison.Ordinal),
            body);
    }

    [Theory]
    [InlineData("\"required\"", """{"any":{}}""")]
    [InlineData("""{"type":"function","function":{"name":"top_song"}}""", """{"tool":{"name":"top_song"}}""")]
    public void TryTranslate_ToolChoice_MapsToConverseToolChoice(string choice, string expected)
    {
        string body = Converse("""{"model":"m.x-v1","messages":[{"role":"user","content":"hi"}],"tools":[@TopSong@],"tool_choice":@choice@}""".Replace("@TopSong@", TopSong, StringComparison.Ordinal).Replace("@choice@", choice, StringComparison.Ordinal));

        Assert.EndsWith("\"toolChoice\":@expected@}}".Replace("@expected@", expected, StringComparison.Ordinal), body, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_ToolChoiceNone_LeavesToolsOut()
    {
        string body = Converse("""{"model":"m.x-v1","messages":[{"role":"user","content":"hi"}],"tools":[@TopSong@],"tool_choice":"none"}""".Replace("@TopSong@", TopSong, StringComparison.Ordinal));

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"hi"}]}]}""", body);
    }

    [Fact]
    public void TryTranslate_ToolChoiceNoneWithToolHistory_HistoryAsTextNoToolConfig()
    {
        string body = Converse("""
            {"model":"m.x-v1","tools":[@TopSong@],"tool_choice":"none","messages":[
              {"role":"user","content":"hi"},
              {"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}}]},
              {"role":"tool","tool_call_id":"a","content":"Elemental Hotel"},
              {"role":"user","content":"Now just talk."}]}
            """.Replace("@TopSong@", TopSong, StringComparison.Ordinal));

        // Converse refuses toolUse / toolResult blocks without a toolConfig, and a toolConfig cannot forbid tool use.
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"hi"}]},"""
            + """{"role":"assistant","content":[{"text":"[Called tool top_song (call id a) with arguments {\"sign\":\"WZPZ\"}]"}]},"""
            + """{"role":"user","content":[{"text":"[Result of tool call a]: Elemental Hotel"},{"text":"Now just talk."}]}]}""",
            body);
    }

    [Fact]
    public void TryTranslate_ToolHistoryWithoutTools_HistoryAsText()
    {
        string body = Converse("""
            {"model":"m.x-v1","messages":[
              {"role":"user","content":"hi"},
              {"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"top_song","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"a","content":"x"}]}
            """);

        Assert.DoesNotContain("toolUse", body, StringComparison.Ordinal);
        Assert.DoesNotContain("toolConfig", body, StringComparison.Ordinal);
        Assert.Contains("[Result of tool call a]: x", body, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_MaxCompletionTokensAndStreamUsage_Reserved()
    {
        ChatRequest request = Translate(
            """{"model":"m.x-v1","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":64,"stream":true,"stream_options":{"include_usage":true}}""");

        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal(64, request.MaxOutputTokens);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":64}}""",
            Encoding.UTF8.GetString(request.ConverseBody.Span));
    }

    [Fact]
    public void TryTranslate_NeutralValuesAndNulls_Accepted()
    {
        string body = Converse(
            """{"model":"m.x-v1","messages":[{"role":"user","content":"hi"}],"n":1,"logprobs":false,"presence_penalty":0,"frequency_penalty":0,"""
            + "\"logit_bias\":{},\"response_format\":{\"type\":\"text\"},\"top_logprobs\":0,\"modalities\":[\"text\"],\"temperature\":null,\"stop\":null,\"tools\":null,\"store\":false,\"metadata\":{\"a\":\"b\"}}");

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"hi"}]}]}""", body);
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"logprobs\":true", "logprobs")]
    [InlineData("\"top_logprobs\":3", "top_logprobs")]
    [InlineData("\"presence_penalty\":0.5", "presence_penalty")]
    [InlineData("\"logit_bias\":{\"50256\":-100}", "logit_bias")]
    [InlineData("\"response_format\":{\"type\":\"json_object\"}", "response_format")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}", "response_format")]
    [InlineData("\"functions\":[]", "functions")]
    [InlineData("\"reasoning_effort\":\"low\"", "reasoning_effort")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities")]
    [InlineData("\"parallel_tool_calls\":false", "parallel_tool_calls")]
    [InlineData("\"frobnicate\":1", "frobnicate")]
    [InlineData("\"stream_options\":{\"include_usage\":true}", "stream_options")]
    [InlineData("\"tool_choice\":\"auto\"", "tool_choice")]
    [InlineData("\"temperature\":3", "temperature")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop")]
    public void TryTranslate_MeaningChangingOrInvalidParameter_400NamingIt(string parameter, string param)
    {
        ApiError error = Refused("""{"model":"m.x-v1","messages":[{"role":"user","content":"hi"}],@parameter@}""".Replace("@parameter@", parameter, StringComparison.Ordinal));

        Assert.Equal(param, error.Param);
        Assert.Equal("ValidationException", error.Type);
    }

    [Theory]
    [InlineData("""{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/tiff;base64,AAAA"}}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}""", "messages[0].content[0].type")]
    [InlineData("""{"role":"function","name":"f","content":"x"}""", "messages[0].role")]
    [InlineData("""{"role":"user"}""", "messages[0].content")]
    [InlineData("""{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"not json"}}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"role":"tool","content":"x"}""", "messages[0].tool_call_id")]
    [InlineData("""{"role":"system","content":"only a system prompt"}""", "messages")]
    public void TryTranslate_BadMessage_400NamingTheField(string message, string param)
    {
        ApiError error = Refused("""{"model":"m.x-v1","messages":[@message@]}""".Replace("@message@", message, StringComparison.Ordinal));

        Assert.Equal(param, error.Param);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"bad model id","messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m.x-v1","messages":[]}""", "messages")]
    [InlineData("""{"model":"m.x-v1"}""", "messages")]
    public void TryTranslate_MissingOrBadModelOrMessages_400(string json, string param)
    {
        Assert.Equal(param, Refused(json).Param);
    }
}
