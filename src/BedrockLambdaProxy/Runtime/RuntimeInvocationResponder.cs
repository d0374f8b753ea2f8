namespace BedrockLambdaProxy.Runtime;

/// <summary>Answers one invocation through the Runtime API: a buffered payload or a streamed response, once.</summary>
internal sealed class RuntimeInvocationResponder : IInvocationResponder, IAsyncDisposable
{
    private readonly RuntimeApiClient _client;
    private readonly string _requestId;
    private bool _claimed;
    private bool _responded;

    public RuntimeInvocationResponder(RuntimeApiClient client, string requestId)
    {
        _client = client;
        _requestId = requestId;
    }

    /// <summary>
    /// True once the Runtime API accepted a buffered payload, or a stream was opened. A rejected
    /// buffered post (e.g. 413, payload too large) leaves it false, so the loop can still report
    /// an invocation error.
    /// </summary>
    public bool HasResponded => _responded;

    /// <summary>The streamed body, when the handler started one.</summary>
    public ChunkedStreamedBody? Stream { get; private set; }

    public async Task SendBufferedAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Claim();
        await _client.PostResponseAsync(_requestId, payload, cancellationToken).ConfigureAwait(false);
        _responded = true;
    }

    public async Task<IStreamedBody> StartHttpStreamAsync(HttpResponsePrelude prelude, CancellationToken cancellationToken)
    {
        Claim();
        Stream = await ChunkedStreamedBody.OpenAsync(_client.Endpoint, _requestId, prelude, cancellationToken)
            .ConfigureAwait(false);
        _responded = true;
        return Stream;
    }

    /// <summary>Closes a stream the handler left open, so its socket never outlives the invocation.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Stream is not null)
        {
            await Stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Claim()
    {
        // The Runtime API accepts one response per invocation; a second is a handler bug.
        if (_claimed)
        {
            throw new InvalidOperationException("This invocation has already been answered.");
        }

        _claimed = true;
    }
}
