using BedrockSimulator.Faults;
using BedrockSimulator.Scripts;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator;

/// <summary>One authenticated model request with everything the surfaces need to answer it.</summary>
internal sealed class SimulatorRequest(
    HttpContext context, string modelId, FaultSpec fault, PlaybackSettings playback, TimeProvider time, CancellationToken serverStopping)
{
    private readonly long _started = time.GetTimestamp();

    public HttpContext Context { get; } = context;

    /// <summary>The model id after unescaping and after removing any <c>fault.&lt;spec&gt;.</c> and <c>sim.&lt;shaping&gt;.</c> prefixes.</summary>
    public string ModelId { get; } = modelId;

    public FaultSpec Fault { get; } = fault;

    /// <summary>The same request with another fault: one named inside the body (an embedding text, see EmbeddingSurface.TextFault).</summary>
    public SimulatorRequest WithFault(FaultSpec other) => new(Context, ModelId, other, Playback, time, serverStopping);

    public PlaybackSettings Playback { get; } = playback;

    public CancellationToken Aborted => Context.RequestAborted;

    public long ElapsedMs => (long)time.GetElapsedTime(_started).TotalMilliseconds;

    public long? FirstByteMs { get; set; }

    /// <summary>
    /// Waits until the client goes away (the <c>hang</c> faults), or until the server stops, so disposing a
    /// simulator does not wait out Kestrel's shutdown timeout on a hung request.
    /// </summary>
    public async Task HangAsync()
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(Aborted, serverStopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the server is stopping: the only ways a hang ends.
        }

        if (!Aborted.IsCancellationRequested)
        {
            Context.Abort();
        }
    }

    public string NewMessageId() => "msg_sim_" + Guid.NewGuid().ToString("N")[..20];
}
