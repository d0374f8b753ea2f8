using System.Text;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Surfaces.OpenAi;

namespace BedrockLambdaProxy.Tests.Surfaces.OpenAi;

/// <summary>
/// OpenAI-strict validation of chat completions (issue 24 item 4): each rule's exact error body as an OpenAI client
/// receives it, for parameters the proxy translates, ignores or refuses alike.
/// </summary>
public sealed class ChatValidationTests
{
    private const string TopSong =
        """{"type":"function","function":{"name":"top_song","parameters":{"type":"object","properties":{"sign":{"type":"string"}}}}}""";

    private const string Hi = """{"role":"user","content":"hi"}""";

    /// <summary>The 400 body for a request of <c>model</c> + <c>messages</c> + the given members.</summary>
    private static string ErrorJson(string members, string messages = "[" + Hi + "]")
    {
        string json = $$"""{"model":"amazon.nova-lite-v1:0","messages":{{messages}}{{(members.Length > 0 ? "," + members : "")}}}""";
        Assert.False(ChatRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), out _, out ApiError? error), "accepted: " + json);
        Assert.Equal(400, error!.StatusCode);
        return Encoding.UTF8.GetString(ErrorResponses.Render(error, ErrorStyle.OpenAi).Body.Span);
    }

    private static string Expected(string message, string param, string code) =>
        "{\"error\":{\"message\":\"" + message.Replace("\"", "\\\"", StringComparison.Ordinal)
        + "\",\"type\":\"invalid_request_error\",\"param\":\"" + param + "\",\"code\":\"" + code + "\"}}";

    private static void Accepted(string members, string messages = "[" + Hi + "]")
    {
        string json = $$"""{"model":"amazon.nova-lite-v1:0","messages":{{messages}}{{(members.Length > 0 ? "," + members : "")}}}""";
        Assert.True(ChatRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(json), out _, out ApiError? error), error?.Message);
    }

    [Theory]
    [InlineData("\"n\":\"2\"", "n", "an integer", "a string")]
    [InlineData("\"n\":1.5", "n", "an integer", "a decimal number")]
    [InlineData("\"seed\":\"7\"", "seed", "an integer", "a string")]
    [InlineData("\"user\":42", "user", "a string", "an integer")]
    [InlineData("\"store\":\"yes\"", "store", "a boolean", "a string")]
    [InlineData("\"metadata\":[]", "metadata", "an object", "an array")]
    [InlineData("\"logit_bias\":\"none\"", "logit_bias", "an object", "a string")]
    [InlineData("\"logprobs\":1", "logprobs", "a boolean", "an integer")]
    [InlineData("\"modalities\":\"text\"", "modalities", "an array", "a string")]
    [InlineData("\"prediction\":\"x\"", "prediction", "an object", "a string")]
    [InlineData("\"audio\":true", "audio", "an object", "a boolean")]
    [InlineData("\"parallel_tool_calls\":\"true\"", "parallel_tool_calls", "a boolean", "a string")]
    [InlineData("\"response_format\":\"json\"", "response_format", "an object", "a string")]
    [InlineData("\"stream_options\":true", "stream_options", "an object", "a boolean")]
    [InlineData("\"stream\":\"yes\"", "stream", "a boolean", "a string")]
    [InlineData("\"temperature\":\"hot\"", "temperature", "a number", "a string")]
    [InlineData("\"max_tokens\":\"many\"", "max_tokens", "an integer", "a string")]
    [InlineData("\"max_completion_tokens\":12.5", "max_completion_tokens", "an integer", "a decimal number")]
    [InlineData("\"stop\":7", "stop", "a string or an array of strings", "an integer")]
    [InlineData("\"stop\":[\"a\",7]", "stop[1]", "a string", "an integer")]
    [InlineData("\"reasoning_effort\":3", "reasoning_effort", "a string", "an integer")]
    [InlineData("\"web_search_options\":[]", "web_search_options", "an object", "an array")]
    [InlineData("\"service_tier\":1", "service_tier", "a string", "an integer")]
    [InlineData("\"tools\":{}", "tools", "an array", "an object")]
    [InlineData("\"tool_choice\":1,\"tools\":[" + TopSong + "]", "tool_choice", "a string or an object", "an integer")]
    [InlineData("\"metadata\":{\"k\":1}", "metadata.k", "a string", "an integer")]
    [InlineData("\"logit_bias\":{\"50256\":\"x\"}", "logit_bias.50256", "an integer", "a string")]
    public void TryTranslate_WrongType_400InvalidTypeNamingParam(string member, string param, string expected, string got)
    {
        string body = ErrorJson(member);

        Assert.Equal(Expected($"Invalid type for '{param}': expected {expected}, but got {got} instead.", param, "invalid_type"), body);
    }

    [Theory]
    [InlineData("\"temperature\":3", "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", "temperature", "decimal_above_max_value")]
    [InlineData("\"top_p\":-0.1", "Invalid 'top_p': decimal below minimum value. Expected a value >= 0, but got -0.1 instead.", "top_p", "decimal_below_min_value")]
    [InlineData("\"frequency_penalty\":2.5", "Invalid 'frequency_penalty': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.", "frequency_penalty", "decimal_above_max_value")]
    [InlineData("\"n\":0", "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead.", "n", "integer_below_min_value")]
    [InlineData("\"n\":129", "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.", "n", "integer_above_max_value")]
    [InlineData("\"top_logprobs\":21", "Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but got 21 instead.", "top_logprobs", "integer_above_max_value")]
    [InlineData("\"max_tokens\":0", "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", "max_tokens", "integer_below_min_value")]
    [InlineData("\"max_tokens\":2147483648", "Invalid 'max_tokens': integer above maximum value. Expected a value <= 2147483647, but got 2147483648 instead.", "max_tokens", "integer_above_max_value")]
    [InlineData("\"seed\":99999999999999999999", "Invalid 'seed': integer above maximum value. Expected a value <= 9223372036854775807, but got 99999999999999999999 instead.", "seed", "integer_above_max_value")]
    [InlineData("\"logit_bias\":{\"1\":101}", "Invalid 'logit_bias.1': integer above maximum value. Expected a value <= 100, but got 101 instead.", "logit_bias.1", "integer_above_max_value")]
    [InlineData("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 5 instead.", "stop", "array_above_max_length")]
    [InlineData("\"stop\":[]", "Invalid 'stop': empty array. Expected an array with minimum length 1, but got an empty array instead.", "stop", "empty_array")]
    [InlineData("\"tools\":[]", "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.", "tools", "empty_array")]
    [InlineData("\"safety_identifier\":\"" + "0123456789012345678901234567890123456789012345678901234567890123456789" + "\"", "Invalid 'safety_identifier': string too long. Expected a string with maximum length 64, but got a string with length 70 instead.", "safety_identifier", "string_above_max_length")]
    public void TryTranslate_OutOfRange_400InOpenAisWords(string member, string message, string param, string code)
    {
        Assert.Equal(Expected(message, param, code), ErrorJson(member));
    }

    [Theory]
    [InlineData("\"reasoning_effort\":\"extreme\"", "reasoning_effort", "Invalid value: 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'.")]
    [InlineData("\"service_tier\":\"gold\"", "service_tier", "Invalid value: 'gold'. Supported values are: 'auto', 'default', 'flex', 'scale', 'priority', and 'fast'.")]
    [InlineData("\"modalities\":[\"video\"]", "modalities[0]", "Invalid value: 'video'. Supported values are: 'text' and 'audio'.")]
    [InlineData("\"response_format\":{\"type\":\"xml\"}", "response_format.type", "Invalid value: 'xml'. Supported values are: 'text', 'json_schema', and 'json_object'.")]
    [InlineData("\"audio\":{\"voice\":\"alloy\",\"format\":\"ogg\"}", "audio.format", "Invalid value: 'ogg'. Supported values are: 'wav', 'aac', 'mp3', 'flac', 'opus', and 'pcm16'.")]
    [InlineData("\"web_search_options\":{\"search_context_size\":\"huge\"}", "web_search_options.search_context_size", "Invalid value: 'huge'. Supported values are: 'low', 'medium', and 'high'.")]
    [InlineData("\"tools\":[" + TopSong + "],\"tool_choice\":\"any\"", "tool_choice", "Invalid value: 'any'. Supported values are: 'none', 'auto', and 'required'.")]
    public void TryTranslate_NotInEnum_400InvalidValue(string member, string param, string message)
    {
        Assert.Equal(Expected(message, param, "invalid_value"), ErrorJson(member));
    }

    [Theory]
    [InlineData("\"response_format\":{}", "response_format.type")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{}}", "response_format.json_schema.name")]
    [InlineData("\"prediction\":{\"type\":\"content\"}", "prediction.content")]
    [InlineData("\"audio\":{\"format\":\"mp3\"}", "audio.voice")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{}}]", "tools[0].function.name")]
    public void TryTranslate_MissingMember_400MissingRequiredParameter(string member, string param)
    {
        Assert.Equal(Expected($"Missing required parameter: '{param}'.", param, "missing_required_parameter"), ErrorJson(member));
    }

    [Fact]
    public void TryTranslate_UnknownParameter_400Unrecognized()
    {
        Assert.Equal(Expected("Unrecognized request argument supplied: frobnicate", "frobnicate", "unknown_parameter"), ErrorJson("\"frobnicate\":1"));
    }

    [Theory]
    [InlineData("\"audio\":{\"voice\":\"alloy\",\"format\":\"mp3\"}", "audio")]
    [InlineData("\"web_search_options\":{}", "web_search_options")]
    [InlineData("\"reasoning_effort\":\"low\"", "reasoning_effort")]
    [InlineData("\"moderation\":{\"model\":\"omni-moderation-latest\"}", "moderation")]
    public void TryTranslate_RightTypeButRefused_400UnsupportedParameter(string member, string param)
    {
        Assert.Contains($"\"param\":\"{param}\",\"code\":\"unsupported_parameter\"", ErrorJson(member), StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_IgnoredParametersOfTheRightType_Accepted()
    {
        Accepted("""
            "user":"u-1","seed":-3,"store":true,"metadata":{"team":"a"},"service_tier":"auto","prompt_cache_key":"k",
            "safety_identifier":"s","prediction":{"type":"content","content":"x"},"prompt_cache_retention":"24h",
            "stream_options":null,"n":null,"logprobs":false,"top_logprobs":0,"logit_bias":{},"modalities":["text"],
            "stop":"END","frequency_penalty":0,"presence_penalty":0.0,"temperature":2,"top_p":0
            """);
    }

    [Theory]
    [InlineData("""{"role":"user","content":[]}""", "messages[0].content", "Invalid 'messages[0].content': empty array. Expected an array with minimum length 1, but got an empty array instead.", "empty_array")]
    [InlineData("""{"role":"user","content":7}""", "messages[0].content", "Invalid type for 'messages[0].content': expected a string or an array of content parts, but got an integer instead.", "invalid_type")]
    [InlineData("""{"role":"user","content":[{"type":"text","text":5}]}""", "messages[0].content[0].text", "Invalid type for 'messages[0].content[0].text': expected a string, but got an integer instead.", "invalid_type")]
    [InlineData("""{"role":"user","content":[{"text":"x"}]}""", "messages[0].content[0].type", "Missing required parameter: 'messages[0].content[0].type'.", "missing_required_parameter")]
    [InlineData("""{"role":7,"content":"x"}""", "messages[0].role", "Invalid type for 'messages[0].role': expected a string, but got an integer instead.", "invalid_type")]
    [InlineData("""{"role":"user","name":1,"content":"x"}""", "messages[0].name", "Invalid type for 'messages[0].name': expected a string, but got an integer instead.", "invalid_type")]
    [InlineData("""{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"ultra"}}]}""", "messages[0].content[0].image_url.detail", "Invalid value: 'ultra'. Supported values are: 'auto', 'low', and 'high'.", "invalid_value")]
    public void TryTranslate_BadMessageShape_400NamingThePath(string message, string param, string text, string code)
    {
        Assert.Equal(Expected(text, param, code), ErrorJson("", "[" + message + "]"));
    }

    [Theory]
    [InlineData("[" + TopSong + "," + TopSong + "]", "tools[1].function.name", "Invalid 'tools': the tool name 'top_song' is defined more than once. Tool names must be unique.", "invalid_value")]
    [InlineData("""[{"type":"function","function":{"name":"top song"}}]""", "tools[0].function.name", "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", "invalid_value")]
    [InlineData("""[{"type":"function","function":{"name":"a1234567890123456789012345678901234567890123456789012345678901234"}}]""", "tools[0].function.name", "Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 64, but got a string with length 65 instead.", "string_above_max_length")]
    [InlineData("""[{"type":"function","function":{"name":"f","parameters":"{}"}}]""", "tools[0].function.parameters", "Invalid type for 'tools[0].function.parameters': expected an object, but got a string instead.", "invalid_type")]
    [InlineData("""[{"type":"function","function":{"name":"f","parameters":{"type":"string"}}}]""", "tools[0].function.parameters", "Invalid schema for function 'f': schema must be a JSON Schema of 'type: \"object\"', got 'type: \"string\"'.", "invalid_function_parameters")]
    [InlineData("""[{"type":"custom","custom":{"name":"f"}}]""", "tools[0].type", "Custom tools are not supported; only 'function' tools are.", "unsupported_parameter")]
    public void TryTranslate_InconsistentTools_400BeforeBedrock(string tools, string param, string message, string code)
    {
        Assert.Equal(Expected(message, param, code), ErrorJson("\"tools\":" + tools));
    }

    [Theory]
    [InlineData("\"tool_choice\":\"required\"", "tool_choice", "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"top_song\"}}", "tool_choice", "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.")]
    [InlineData("\"parallel_tool_calls\":true", "parallel_tool_calls", "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.")]
    [InlineData("\"tools\":[" + TopSong + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}", "tool_choice.function.name", "Invalid value for 'tool_choice': tool choice 'weather' not found in 'tools' parameter.")]
    public void TryTranslate_ToolChoiceInconsistent_400(string members, string param, string message)
    {
        Assert.Equal(Expected(message, param, "invalid_value"), ErrorJson(members));
    }

    [Theory]
    [InlineData("""[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"a","content":"x"}]""", "messages[1].role",
        "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.")]
    [InlineData("""[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"top_song","arguments":"{}"}}]},{"role":"tool","tool_call_id":"b","content":"x"}]""",
        "messages[2].tool_call_id", "Invalid parameter: 'tool_call_id' of 'b' not found in 'tool_calls' of previous message.")]
    [InlineData("""[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"top_song","arguments":"{}"}},{"id":"b","type":"function","function":{"name":"top_song","arguments":"{}"}}]},{"role":"tool","tool_call_id":"a","content":"x"},{"role":"user","content":"and?"}]""",
        "messages[1].role", "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: b")]
    [InlineData("""[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"top_song","arguments":"{}"}}]}]""",
        "messages[1].role", "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: a")]
    public void TryTranslate_ToolMessagesThatDoNotPair_400InOpenAisWords(string messages, string param, string message)
    {
        Assert.Equal(Expected(message, param, "invalid_value"), ErrorJson("\"tools\":[" + TopSong + "]", messages));
    }

    [Fact]
    public void TryTranslate_StreamOptionsWithoutStream_400()
    {
        Assert.Equal(
            Expected("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", "invalid_value"),
            ErrorJson("\"stream_options\":{\"include_usage\":true}"));
    }

    [Fact]
    public void All_EveryRow_NamedOnceAndRefusalsWorded()
    {
        Assert.Equal(ChatParameters.All.Count, ChatParameters.All.Select(p => p.Name).Distinct().Count());
        Assert.All(ChatParameters.All.Where(p => p.Use == ChatParameterUse.Refused), p => Assert.False(string.IsNullOrEmpty(p.Refusal)));
        // The parameters every OpenAI SDK sends are in the table (a missing row would refuse them as unrecognized).
        foreach (string name in (string[])["model", "messages", "stream", "tools", "tool_choice", "temperature", "max_completion_tokens", "user", "seed"])
        {
            Assert.Contains(ChatParameters.All, p => p.Name == name);
        }
    }
}
