using System.Net;
using System.Net.Sockets;
using System.Text;
using BedrockLambdaProxy.Bedrock;

namespace BedrockLambdaProxy.Tests.Bedrock;

/// <summary>A real socket that sends a 200, one frame, then holds the stream open like a slow model.</summary>
public sealed class BedrockStreamAbortTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DisposeAsync_MidStream_ClosesUpstreamConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        byte[] frame = EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}""");
        Task<int> server = ServeOneFrameThenWaitForCloseAsync(listener, frame);
        using BedrockClient client = BedrockClientWireTests.NewClient(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));
        using var cts = new CancellationTokenSource(Guard);

        BedrockEventStream stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, cts.Token);
        Assert.Equal(frame, (await stream.ReadNextAsync(cts.Token))!.RawFrame.ToArray());
        await stream.DisposeAsync();

        // The server's read returns 0 (or fails) only once the client closed its side of the connection.
        Assert.True(await server.WaitAsync(Guard) <= 0);
    }

    [Fact]
    public async Task ReadNextAsync_CancelledWhileModelIsSlow_ThrowsOperationCanceled()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        byte[] frame = EventStreamFrameBuilder.Event("messageStart", """{"role":"assistant"}""");
        Task<int> server = ServeOneFrameThenWaitForCloseAsync(listener, frame);
        using BedrockClient client = BedrockClientWireTests.NewClient(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));
        using var guard = new CancellationTokenSource(Guard);
        using var clientGone = new CancellationTokenSource();

        await using BedrockEventStream stream = await client.OpenStreamAsync(
            BedrockOperation.ConverseStream, "amazon.nova-lite-v1:0", "{}"u8.ToArray(), BedrockRequestHeaders.Empty, guard.Token);
        Assert.NotNull(await stream.ReadNextAsync(guard.Token));
        ValueTask<BedrockStreamEvent?> pending = stream.ReadNextAsync(clientGone.Token);
        clientGone.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(Guard));
        await stream.DisposeAsync();
        Assert.True(await server.WaitAsync(Guard) <= 0);
    }

    /// <summary>Answers with chunked encoding (as Bedrock does), sends one frame, returns when the client hangs up.</summary>
    private static async Task<int> ServeOneFrameThenWaitForCloseAsync(TcpListener listener, byte[] frame)
    {
        using TcpClient client = await listener.AcceptTcpClientAsync();
        NetworkStream stream = client.GetStream();
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || Encoding.ASCII.GetString([.. head.TakeLast(4)]) != "\r\n\r\n")
        {
            await stream.ReadExactlyAsync(one);
            head.Add(one[0]);
        }
        string text = Encoding.ASCII.GetString([.. head]);
        int length = int.Parse(text.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        await stream.ReadExactlyAsync(new byte[length]);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\nTransfer-Encoding: chunked\r\n\r\n"));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{frame.Length:x}\r\n"));
        await stream.WriteAsync(frame);
        await stream.WriteAsync("\r\n"u8.ToArray());
        try
        {
            return await stream.ReadAsync(new byte[1]);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
