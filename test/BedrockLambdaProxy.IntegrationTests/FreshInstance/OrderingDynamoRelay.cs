using System.Collections.Concurrent;
using System.Text;
using BedrockLambdaProxy.IntegrationTests.Stack;

namespace BedrockLambdaProxy.IntegrationTests.FreshInstance;

/// <summary>
/// A loopback TCP relay in front of dynalite that notes each DynamoDB request (its X-Amz-Target) with the number of
/// Bedrock calls the simulator had received when the request reached the relay. While <see cref="HoldWrites"/> is on,
/// an UpdateItem that arrives before the next Bedrock call is held until that call arrives (or
/// <see cref="HoldLimit"/> passes): a function that waited for its admission write before calling Bedrock would be
/// stuck until the limit, which the test sees as a write released by the limit. No clock decides the outcome.
/// </summary>
internal sealed class OrderingDynamoRelay : DynamoTcpRelay
{
    /// <summary>Only breaks the deadlock of a function that does wait for its write; never reached when it does not.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<SeenRequest> _seen = new();

    public override string Name => "dynamodb (ordering relay)";

    /// <summary>The simulator's request count; set once the stack runs.</summary>
    public Func<int> BedrockCalls { get; set; } = () => 0;

    /// <summary>Hold UpdateItems that arrive before the next Bedrock call until it arrives.</summary>
    public bool HoldWrites { get; set; }

    public IReadOnlyList<SeenRequest> Seen => [.. _seen];

    public void Clear() => _seen.Clear();

    /// <summary>Passes whole requests (head, then Content-Length bytes of body), noting and perhaps holding each.</summary>
    protected override async Task ForwardToDynamoAsync(Stream from, Stream to)
    {
        var pending = new List<byte>();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int headEnd;
            while ((headEnd = IndexOfHeadEnd(pending)) < 0)
            {
                int read = await from.ReadAsync(buffer, Stopping);
                if (read == 0)
                {
                    return;
                }
                pending.AddRange(buffer.AsSpan(0, read));
            }
            string head = Encoding.ASCII.GetString(pending.GetRange(0, headEnd).ToArray());
            int total = headEnd + 4 + HeaderNumber(head, "content-length");
            while (pending.Count < total)
            {
                int read = await from.ReadAsync(buffer, Stopping);
                if (read == 0)
                {
                    return;
                }
                pending.AddRange(buffer.AsSpan(0, read));
            }
            string target = HeaderValue(head, "x-amz-target") ?? "?";
            var seen = new SeenRequest(target[(target.LastIndexOf('.') + 1)..], BedrockCalls());
            _seen.Enqueue(seen);
            if (HoldWrites && seen.Operation == "UpdateItem")
            {
                await HoldUntilNextBedrockCallAsync(seen);
            }
            await to.WriteAsync(pending.GetRange(0, total).ToArray(), Stopping);
            pending.RemoveRange(0, total);
        }
    }

    private async Task HoldUntilNextBedrockCallAsync(SeenRequest seen)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        limit.CancelAfter(HoldLimit);
        try
        {
            while (BedrockCalls() == seen.BedrockCallsBefore)
            {
                await Task.Delay(5, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!Stopping.IsCancellationRequested)
        {
            seen.ReleasedByLimit = true;
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (int i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    private static string? HeaderValue(string head, string name)
    {
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }
        return null;
    }

    private static int HeaderNumber(string head, string name) =>
        HeaderValue(head, name) is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
}

/// <summary>One DynamoDB request as the relay saw it.</summary>
internal sealed class SeenRequest(string operation, int bedrockCallsBefore)
{
    public string Operation { get; } = operation;

    /// <summary>The simulator's request count when this request reached the relay.</summary>
    public int BedrockCallsBefore { get; } = bedrockCallsBefore;

    /// <summary>A held write that the Bedrock call never overtook: the function waited for it.</summary>
    public bool ReleasedByLimit { get; set; }
}
