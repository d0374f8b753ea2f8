namespace BedrockSimulator.Faults;

/// <summary>
/// A fault every request to this simulator instance gets unless it names its own (header or model id
/// prefix): one instance can play a whole failing region next to a healthy one. Tests change it while
/// the server runs; <c>--fault</c> sets it from the command line.
/// </summary>
internal sealed class InstanceFault
{
    private volatile string? _text;

    /// <summary>The fault text (same syntax as <c>x-simulator-fault</c>), or null for none.</summary>
    public string? Text => _text;

    /// <summary>Sets (or, with null or empty, clears) the instance's fault; throws on an unknown fault.</summary>
    public void Set(string? text)
    {
        if (!FaultSpec.TryParse(text, out _, out string error))
        {
            throw new ArgumentException(error, nameof(text));
        }
        _text = string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
