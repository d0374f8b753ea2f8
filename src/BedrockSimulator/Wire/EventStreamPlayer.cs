using System.Text.Json;
using BedrockSimulator.Faults;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator.Wire;

/// <summary>
/// Writes one event-stream response frame by frame, flushing each, pacing content deltas and acting out the
/// mid-stream faults (<c>fail-after</c>: an exception frame after K deltas; <c>hang-after</c>: silence after K).
/// </summary>
internal sealed class EventStreamPlayer(SimulatorRequest request, SimulatorOptions options)
{
    /// <summary>Bedrock pads each event with a prefix of this alphabet in a field "p" so sizes do not reveal tokens.</summary>
    private const string PaddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private int _sequence;
    private int _deltas;

    public async Task StartAsync(bool invokeStream)
    {
        var response = request.Context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/vnd.amazon.eventstream";
        if (invokeStream)
        {
            response.Headers["X-Amzn-Bedrock-Content-Type"] = "application/json";
        }

        await response.StartAsync(request.Aborted);
        await response.Body.FlushAsync(request.Aborted);
    }

    /// <summary>Writes an event frame whose JSON payload <paramref name="body"/> fills (plus the padding field).</summary>
    public async Task EventAsync(string eventType, Action<Utf8JsonWriter> body)
    {
        var sequence = _sequence++;
        var payload = JsonBytes.Write(w =>
        {
            body(w);
            if (options.PadEvents)
            {
                w.WriteString("p", PaddingAlphabet.AsSpan(0, 1 + (sequence * 7 % PaddingAlphabet.Length)));
            }
        });
        await WriteFrameAsync(EventStreamEncoder.Event(eventType, payload));
    }

    /// <summary>
    /// Writes a content delta after the chunk delay, unless the fault says the stream breaks here.
    /// Returns false when the stream has ended (exception frame written, or the client left during a hang).
    /// </summary>
    public async Task<bool> DeltaAsync(string eventType, Action<Utf8JsonWriter> body)
    {
        var fault = request.Fault;
        if (fault.Kind == FaultKind.FailAfter && _deltas >= fault.Count)
        {
            await ExceptionAsync(fault.StreamExceptionType, "The simulator broke the stream after "
                + fault.Count + " content chunks (fault fail-after).");
            return false;
        }

        if (fault.Kind == FaultKind.HangAfter && _deltas >= fault.Count)
        {
            await request.HangAsync();
            return false;
        }

        if (request.Playback.ChunkDelay > TimeSpan.Zero)
        {
            await Task.Delay(request.Playback.ChunkDelay, request.Aborted);
        }

        _deltas++;
        // Bedrock's firstByteLatency is the time to the first generated content, not to the response headers.
        request.FirstByteMs ??= request.ElapsedMs;
        await EventAsync(eventType, body);
        return true;
    }

    public Task ExceptionAsync(string exceptionType, string message) =>
        WriteFrameAsync(EventStreamEncoder.Exception(exceptionType, JsonBytes.Message(message)));

    private async Task WriteFrameAsync(byte[] frame)
    {
        var body = request.Context.Response.Body;
        await body.WriteAsync(frame, request.Aborted);
        await body.FlushAsync(request.Aborted);
    }
}
