namespace BedrockLambdaProxy.Auth;

/// <summary>A freshly generated key: the secret (shown once, never stored), its id and its digest.</summary>
internal sealed record IssuedApiKey(string Key, string KeyId, string Digest)
{
    // The record's generated ToString would print the key; keep it out of logs and debugger dumps.
    public override string ToString() => $"IssuedApiKey {{ KeyId = {KeyId} }}";
}
