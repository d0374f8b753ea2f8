using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator.Scripts;

/// <summary>
/// How an answer is paced and sized: <c>x-simulator-*</c> request headers, else the same values from a
/// <c>sim.</c> model id (<see cref="ModelIdShaping"/>), else the server defaults.
/// </summary>
internal sealed record PlaybackSettings(int Chunks, TimeSpan ChunkDelay, int? OutputBytes)
{
    /// <summary>Large answers default to one delta per 1000 bytes and no delay, so throughput tests measure the pipe.</summary>
    public const int LargeOutputBytesPerChunk = 1000;

    /// <summary>Reads the headers; <paramref name="fromModelId"/> (keyed by header name) fills in where a header is absent.</summary>
    public static bool TryRead(
        IHeaderDictionary headers, IReadOnlyDictionary<string, string> fromModelId, SimulatorOptions options, out PlaybackSettings settings, out string error)
    {
        settings = new PlaybackSettings(options.DefaultChunks, options.ChunkDelay, null);
        error = string.Empty;
        if (!TryInt(headers, fromModelId, SimulatorHeaders.OutputBytes, 1, 256 * 1024 * 1024, out var outputBytes, ref error)
            || !TryInt(headers, fromModelId, SimulatorHeaders.Chunks, 1, 1_000_000, out var chunks, ref error)
            || !TryInt(headers, fromModelId, SimulatorHeaders.ChunkDelayMs, 0, 600_000, out var delayMs, ref error))
        {
            return false;
        }

        var large = outputBytes is not null;
        settings = new PlaybackSettings(
            chunks ?? (large ? Math.Max(1, (outputBytes!.Value + LargeOutputBytesPerChunk - 1) / LargeOutputBytesPerChunk) : options.DefaultChunks),
            delayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (large ? TimeSpan.Zero : options.ChunkDelay),
            outputBytes);
        return true;
    }

    private static bool TryInt(
        IHeaderDictionary headers, IReadOnlyDictionary<string, string> fromModelId, string name, int min, int max, out int? value, ref string error)
    {
        value = null;
        var text = headers[name].ToString();
        if (text.Length == 0 && !fromModelId.TryGetValue(name, out text!))
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            error = $"Header {name} (or its sim. model id part) must be an integer from {min} to {max}.";
            return false;
        }

        value = parsed;
        return true;
    }
}
