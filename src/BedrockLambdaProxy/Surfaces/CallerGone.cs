using System.Net.Sockets;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// Recognises a write that failed because the answer's way out is gone (the runtime connection
/// broke, the caller left): the raw-socket body throws SocketException, other paths IOException,
/// and a body already broken by an earlier write ObjectDisposedException or InvalidOperationException.
/// Upstream failures never look like this: BedrockEventStream reports them as BedrockStreamException.
/// </summary>
internal static class CallerGone
{
    public static bool Is(Exception exception) =>
        exception is IOException or SocketException or ObjectDisposedException or InvalidOperationException;
}
