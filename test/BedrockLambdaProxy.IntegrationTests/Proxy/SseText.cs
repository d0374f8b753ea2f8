namespace BedrockLambdaProxy.IntegrationTests.Proxy;

/// <summary>Splits an SSE body into (event, data) pairs the way a browser's EventSource does.</summary>
internal static class SseText
{
    public static List<(string Event, string Data)> Parse(string text)
    {
        var events = new List<(string, string)>();
        foreach (string block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string name = "message";
            var data = new List<string>();
            foreach (string line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line["data: ".Length..]);
                }
            }
            events.Add((name, string.Join('\n', data)));
        }
        return events;
    }
}
