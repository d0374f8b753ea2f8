namespace BedrockLambdaProxy.Runtime;

/// <summary>Where the Lambda Runtime API listens, parsed from AWS_LAMBDA_RUNTIME_API ("host:port").</summary>
internal sealed class RuntimeApiEndpoint
{
    private RuntimeApiEndpoint(Uri baseUri)
    {
        BaseUri = baseUri;
        Host = baseUri.DnsSafeHost;
        Port = baseUri.Port;
        HostHeader = baseUri.Authority;
    }

    /// <summary><c>http://host:port/2018-06-01/runtime/</c>; every Runtime API path is relative to it.</summary>
    public Uri BaseUri { get; }

    /// <summary>The host to connect a socket to (IPv6 literals without brackets).</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>The Host header value for requests written by hand.</summary>
    public string HostHeader { get; }

    /// <summary>Parses "host:port"; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static RuntimeApiEndpoint Parse(string hostPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPort);
        if (hostPort.Contains('/', StringComparison.Ordinal)
            || !Uri.TryCreate("http://" + hostPort + "/2018-06-01/runtime/", UriKind.Absolute, out Uri? uri)
            || uri.UserInfo.Length != 0)
        {
            throw new ArgumentException($"The Runtime API address must be host:port, got '{hostPort}'.", nameof(hostPort));
        }

        return new RuntimeApiEndpoint(uri);
    }

    /// <summary>The path of one invocation's resource, e.g. <c>invocation/{id}/response</c>.</summary>
    public Uri InvocationUri(string requestId, string action) =>
        new(BaseUri, "invocation/" + Uri.EscapeDataString(requestId) + "/" + action);

    /// <summary>The absolute path used in a hand-written request line.</summary>
    public string InvocationPath(string requestId, string action) => InvocationUri(requestId, action).AbsolutePath;
}
