namespace BedrockLambdaProxy.Events;

/// <summary>Which front delivered the request; it decides the response envelope.</summary>
internal enum EventOrigin
{
    /// <summary>A Lambda Function URL (payload format 2.0).</summary>
    FunctionUrl,

    /// <summary>An API Gateway REST API with a Lambda proxy integration (payload format 1.0).</summary>
    ApiGateway,
}
