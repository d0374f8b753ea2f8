using System.Text;
using System.Text.Json;
using BedrockLambdaProxy.Usage;
using BedrockSimulator.Scripts;
using Xunit;
using Xunit.Abstractions;

namespace BedrockLambdaProxy.Tests.Usage;

/// <summary>
/// The estimator's error against the simulator's own counts (input = words + 3, output = words + 10
/// per tool call) on representative prompts and answers: the figures docs/BILLING.md quotes. The
/// bounds fail the build if a change to the estimator moves them.
/// </summary>
public sealed class EstimatorErrorTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Prompts => new()
    {
        { "short question", "What is the most popular song on WZPZ?" },
        { "English paragraph", "Billing teams expect every request to leave a record. When a stream is cut short by the deadline, the proxy still knows how much text it relayed, so it can estimate the tokens the model produced and mark the record as an estimate rather than leaving it empty." },
        { "code", "def total(items):\n    return sum(item.price * item.quantity for item in items if item.active)" },
        { "numbers and list", "Order 1: 12 apples, 7 pears; order 2: 30 plums, 4 figs; total 53 items, 2 orders." },
        { "CJK", "東京の天気は明日晴れるでしょうか。傘を持っていくべきですか。" },
        { "accented", "Le café était naïf, déjà vu à la crème brûlée." },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void InputAndOutputEstimate_RepresentativeText_WithinDocumentedRatioOfSimulatorCounts(string name, string text)
    {
        byte[] body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["messages"] = new[] { new Dictionary<string, object> { ["role"] = "user", ["content"] = new[] { new Dictionary<string, string> { ["text"] = text } } } },
        }));
        long inputEstimate = TokenEstimate.FromRequestBody(body);
        int inputActual = TokenRules.InputTokens([text]);
        // The echo model answers "Echo: <text>", streamed in 5 deltas.
        string answer = "Echo: " + text;
        var counter = new OutputTextCounter();
        foreach (string piece in Split(answer, 5))
        {
            counter.Add(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { contentBlockIndex = 0, delta = new { text = piece } })));
        }
        int outputActual = TokenRules.Words(answer);

        double inputRatio = (double)inputEstimate / inputActual;
        double outputRatio = (double)counter.Tokens / outputActual;
        output.WriteLine($"{name}: input {inputEstimate} vs {inputActual} ({inputRatio:0.00}x), output {counter.Tokens} vs {outputActual} ({outputRatio:0.00}x)");

        // Real tokenizers give about 1.3 tokens per English word and about one per CJK character; the
        // simulator gives exactly one per whitespace-separated word. So on text the estimate never bills
        // less than the simulator, and more the further the text is from plain prose (code, accents);
        // a CJK sentence without spaces is a single "word" to the simulator, hence its outlier ratio.
        Assert.InRange(inputRatio, 1.0, name == "CJK" ? 20.0 : 2.7);
        Assert.InRange(outputRatio, 1.0, name == "CJK" ? 20.0 : 2.7);
    }

    [Fact]
    public void OutputEstimate_ToolCall_CountsTheInputJsonAgainstTenTokens()
    {
        var counter = new OutputTextCounter();
        foreach (string piece in new[] { "{\"sig", "n\":\"WZ", "PZ\"}" })
        {
            counter.Add(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { contentBlockIndex = 1, delta = new { toolUse = new { input = piece } } })));
        }
        output.WriteLine($"tool call {{\"sign\":\"WZPZ\"}}: output {counter.Tokens} vs {TokenRules.ToolCallTokens}");

        Assert.Equal(9, counter.Tokens);
    }

    private static IEnumerable<string> Split(string text, int pieces)
    {
        int size = (text.Length + pieces - 1) / pieces;
        for (int i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
