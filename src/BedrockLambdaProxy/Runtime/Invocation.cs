namespace BedrockLambdaProxy.Runtime;

/// <summary>One invocation as the Lambda Runtime API delivered it.</summary>
/// <param name="RequestId">Lambda-Runtime-Aws-Request-Id.</param>
/// <param name="Deadline">Lambda-Runtime-Deadline-Ms as an instant.</param>
/// <param name="FunctionArn">Lambda-Runtime-Invoked-Function-Arn.</param>
/// <param name="TraceId">Lambda-Runtime-Trace-Id, also exported as _X_AMZN_TRACE_ID.</param>
/// <param name="Payload">The event JSON, untouched.</param>
internal sealed record Invocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? FunctionArn,
    string? TraceId,
    ReadOnlyMemory<byte> Payload);
