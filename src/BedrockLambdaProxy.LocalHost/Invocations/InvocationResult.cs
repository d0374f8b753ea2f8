using System.IO.Pipelines;

namespace BedrockLambdaProxy.LocalHost.Invocations;

/// <summary>What the front learns about an invocation: the first thing the function (or the sandbox) said.</summary>
internal abstract record InvocationResult;

/// <summary>A whole payload POSTed to /response.</summary>
internal sealed record BufferedResult(byte[] Payload) : InvocationResult;

/// <summary>
/// A streamed /response that has started: the body arrives through <paramref name="Body"/> as
/// the function writes it; <paramref name="End"/> completes after the last chunk with the trailers.
/// </summary>
internal sealed record StreamedResult(string? ContentType, PipeReader Body, Task<StreamEnd> End) : InvocationResult;

/// <summary>How a streamed body ended: cleanly, with error trailers, or cut off (crash, timeout).</summary>
internal sealed record StreamEnd(string? ErrorType, string? ErrorBody, bool Truncated)
{
    public bool Failed => ErrorType is not null || Truncated;
}

/// <summary>POST /invocation/{id}/error (or /init/error while the invocation waited).</summary>
internal sealed record FunctionErrorResult(string ErrorType, string ErrorBody) : InvocationResult;

/// <summary>The deadline passed before the function answered.</summary>
internal sealed record TimedOutResult : InvocationResult;

/// <summary>The worker process died (or misbehaved) while it held the invocation.</summary>
internal sealed record WorkerFailedResult(string Reason) : InvocationResult;
