using BedrockLambdaProxy.Admin.Commands;

namespace BedrockLambdaProxy.Tests.Admin;

public sealed class ReplayInputTests
{
    [Fact]
    public void Lines_PlainLinesWithCrLfAndBlanks_EachNonEmptyLine()
    {
        Assert.Equal(["{\"a\":1}", "2026-11-24T16:01:00Z\tid\t{\"b\":2}"], ReplayInput.Lines("{\"a\":1}\r\n\n2026-11-24T16:01:00Z\tid\t{\"b\":2}\n"));
    }

    [Fact]
    public void Lines_GetLogEventsDocument_TheEventsMessages()
    {
        const string text = """
            {
                "events": [
                    { "timestamp": 1, "message": "{\"x\":1}\n", "ingestionTime": 2 },
                    { "timestamp": 3, "message": "two\nlines", "ingestionTime": 4 },
                    { "timestamp": 5, "ingestionTime": 6 }
                ],
                "nextForwardToken": "f/1",
                "nextBackwardToken": "b/1"
            }
            """;

        Assert.Equal(["{\"x\":1}", "two", "lines"], ReplayInput.Lines(text));
    }

    [Fact]
    public void Lines_EventsArrayFromQuery_TheEventsMessages()
    {
        Assert.Equal(["{\"y\":2}"], ReplayInput.Lines("""[ { "message": "{\"y\":2}" } ]"""));
    }

    [Fact]
    public void Lines_OneJsonLogLine_ThatLine()
    {
        Assert.Equal(["""{"event_type":"usage_record_unwritten"}"""], ReplayInput.Lines("""{"event_type":"usage_record_unwritten"}""" + "\n"));
    }
}
