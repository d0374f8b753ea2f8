namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// The upstream event stream broke after it started: a frame cut short, a bad CRC, an impossible
/// length or a dropped connection. Distinct from <see cref="OperationCanceledException"/>, which
/// means our own caller went away or ran out of time.
/// </summary>
internal sealed class BedrockStreamException : Exception
{
    public BedrockStreamException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
