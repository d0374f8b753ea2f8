using BedrockSimulator.Faults;
using BedrockSimulator.Scripts;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator;

/// <summary>One authenticated model request with everything the surfaces need to answer it.</summary>
internal sealed class SimulatorRequest(HttpContext context, string modelId, FaultSpec fault, PlaybackSettings playback, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public HttpContext Context { get; } = context;

    /// <summary>The model id after unescaping and after removing any <c>fault.&lt;spec&gt;.</c> prefix.</summary>
    public string ModelId { get; } = modelId;

    public FaultSpec Fault { get; } = fault;

    public PlaybackSettings Playback { get; } = playback;

    public CancellationToken Aborted => Context.RequestAborted;

    public long ElapsedMs => (long)time.GetElapsedTime(_started).TotalMilliseconds;

    public long? FirstByteMs { get; set; }

    /// <summary>Waits forever, or until the client goes away (the <c>hang</c> faults).</summary>
    public async Task HangAsync()
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, Aborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: that is the only way a hang ends.
        }
    }

    public string NewMessageId() => "msg_sim_" + Guid.NewGuid().ToString("N")[..20];
}
