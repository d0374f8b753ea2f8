namespace BedrockLambdaProxy.Runtime;

/// <summary>The Lambda Runtime API answered with something the runtime loop cannot use.</summary>
internal sealed class RuntimeApiException : Exception
{
    public RuntimeApiException(string message)
        : base(message)
    {
    }

    public RuntimeApiException(string message, int statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the Runtime API returned, when there was one.</summary>
    public int? StatusCode { get; }
}
