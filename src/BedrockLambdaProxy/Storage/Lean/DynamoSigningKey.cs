namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>A derived SigV4 signing key with the secret and date (yyyyMMdd) it was derived for.</summary>
internal sealed record DynamoSigningKey(string Secret, string Date, byte[] Key);
