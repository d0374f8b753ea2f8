using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// The AWS SDK's default credential chain, resolved on first use rather than at start-up (so a cold
/// start with no Bedrock call pays nothing) and then cached. The resolved provider refreshes itself
/// when its credentials expire (container / IMDS / assume-role); Lambda's are environment variables.
/// </summary>
internal sealed class DefaultChainCredentials : AWSCredentials
{
    // PublicationOnly: a failed resolution is not cached, so the next request tries again.
    private readonly Lazy<AWSCredentials> _resolved;

    public DefaultChainCredentials()
        : this(static () => new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null))
    {
    }

    public DefaultChainCredentials(Func<AWSCredentials> resolve)
    {
        _resolved = new Lazy<AWSCredentials>(resolve, LazyThreadSafetyMode.PublicationOnly);
    }

    public override ImmutableCredentials GetCredentials() => _resolved.Value.GetCredentials();

    public override Task<ImmutableCredentials> GetCredentialsAsync() => _resolved.Value.GetCredentialsAsync();
}
