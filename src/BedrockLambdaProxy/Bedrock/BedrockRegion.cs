namespace BedrockLambdaProxy.Bedrock;

/// <summary>One Bedrock Runtime region the proxy may call: the SigV4 credential-scope region and the endpoint that serves it.</summary>
internal sealed record BedrockRegion(string Name, Uri Endpoint);
