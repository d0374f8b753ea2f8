namespace BedrockLambdaProxy.Signing;

/// <summary>A derived SigV4 signing key with the secret and date (yyyyMMdd) it was derived for.</summary>
internal sealed record SigV4SigningKey(string Secret, string Date, byte[] Key);
