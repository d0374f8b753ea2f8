namespace BedrockLambdaProxy.Signing;

/// <summary>Signs each request with <see cref="SigV4Signer"/> just before it is sent (each retry is signed afresh).</summary>
internal sealed class SigV4Handler(SigV4Signer signer, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await signer.SignAsync(request).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
