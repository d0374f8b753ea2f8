namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>
/// Thrown out of a front after the response has started, to end it without the terminating
/// chunk. Kestrel then closes the connection gracefully (FIN), so the client first receives every
/// byte already relayed (a terminal SSE error event, say) and then sees the body cut short.
/// HttpContext.Abort would reset the connection instead, and a reset can destroy data the client
/// has not read yet.
/// </summary>
internal sealed class StreamTruncatedException : Exception
{
    public StreamTruncatedException(string message)
        : base(message)
    {
    }
}
