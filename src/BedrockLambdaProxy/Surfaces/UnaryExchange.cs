using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>One unary Bedrock call (InvokeModel, Converse): Bedrock's status, headers and bytes go back unchanged.</summary>
internal sealed class UnaryExchange(BedrockClient bedrock)
{
    public Task<CallOutcome> RunAsync(RequestContext context, BedrockCall call, ErrorStyle style) =>
        RunAsync(context, call, style, translate: null);

    /// <param name="translate">Rewrites a successful body into another format (OpenAI's chat.completion); null passes it on.</param>
    public async Task<CallOutcome> RunAsync(
        RequestContext context,
        BedrockCall call,
        ErrorStyle style,
        Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? translate)
    {
        BedrockResponse response;
        try
        {
            response = await context.Admission.CallAsync(
                ct => bedrock.SendAsync(call.Operation, call.ModelId, call.Body, call.Headers, RetryDeadline(context), ct),
                context.Cancellation).ConfigureAwait(false);
        }
        catch (BedrockException ex)
        {
            return await BedrockFailure.AnswerAsync(context, ex, style, context.Admission.Headers).ConfigureAwait(false);
        }
        IReadOnlyList<KeyValuePair<string, string>> extraHeaders = context.Admission.Headers;
        context.BedrockRoute = response.Route;
        context.BedrockRequestId = response.Headers.Get(BedrockResponseHeaders.RequestId);

        BedrockReportedUsage? reported = call.Operation switch
        {
            BedrockOperation.Converse => BedrockUsageReader.FromConverseResponse(response.Body.Span),
            // CountTokens runs no model: Bedrock does not charge it, so neither does the proxy.
            BedrockOperation.CountTokens => new BedrockReportedUsage(TokenUsage.Zero, null),
            _ => BedrockUsageReader.FromInvokeModelHeaders(response.Headers),
        };
        // Set before the answer is sent: a runtime that refuses the answer still leaves this bill.
        // Without Bedrock's counts (headers missing) the answer is billed an estimate, marked as such.
        // The clock only times a first streamed token, which a unary answer does not have.
        var usage = new StreamUsageTracker(TimeProvider.System, context.StartTimestamp, () => call.InputTokenEstimate);
        usage.ObserveUnary(reported?.Tokens, response.Body.Span);
        context.Usage = usage;
        var headers = new List<KeyValuePair<string, string>>(response.Headers.All.Count + extraHeaders.Count);
        headers.AddRange(response.Headers.All);
        headers.AddRange(extraHeaders);
        ReadOnlyMemory<byte> body = translate is null ? response.Body : translate(response.Body);
        await context.Response.SendAsync(new ProxyResponse(response.StatusCode, headers, body), context.Cancellation)
            .ConfigureAwait(false);
        return usage.Outcome(response.StatusCode, null);
    }

    /// <summary>Retries must leave time to answer: stop starting them a second before the invocation deadline.</summary>
    internal static DateTimeOffset RetryDeadline(RequestContext context) => context.Deadline - TimeSpan.FromSeconds(1);
}
