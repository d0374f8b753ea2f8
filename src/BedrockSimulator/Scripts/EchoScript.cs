using System.Text;

namespace BedrockSimulator.Scripts;

/// <summary>The default model: answers "Echo: " + the last user text (or a large filler text when asked for N bytes).</summary>
internal static class EchoScript
{
    public const string Prefix = "Echo: ";
    private const string Filler = "lorem ipsum dolor sit amet ";

    public static ScriptedReply Reply(string lastUserText, IReadOnlyList<string> inputTexts, PlaybackSettings settings) =>
        TextReply(AnswerText(lastUserText, settings), inputTexts, settings);

    public static ScriptedReply TextReply(string text, IReadOnlyList<string> inputTexts, PlaybackSettings settings)
    {
        var block = new ReplyBlock(text, null, ChunkSplitter.Split(text, settings.Chunks));
        return new ScriptedReply([block], "end_turn", TokenRules.InputTokens(inputTexts), TokenRules.OutputTokens([block]));
    }

    public static string AnswerText(string lastUserText, PlaybackSettings settings)
    {
        if (settings.OutputBytes is { } size)
        {
            var builder = new StringBuilder(size + Filler.Length);
            while (builder.Length < size)
            {
                builder.Append(Filler);
            }

            return builder.ToString(0, size);
        }

        return Prefix + (lastUserText.Trim().Length == 0 ? "(no text)" : lastUserText.Trim());
    }
}
