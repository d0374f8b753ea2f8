using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// Runs the InvokeModel calls of one embeddings request (<see cref="EmbeddingBodies"/>): at most
/// <see cref="Parallelism"/> at a time, each with the Bedrock client's retries and failover inside the request's
/// deadline, and answers in input order. One failed call fails the whole request with its status (no partial
/// answer): no new call starts after it, but the calls already in flight finish, so every call Bedrock served is
/// billed (docs/BILLING.md); usage is the sum of Bedrock's input counts over all served calls, and the usage record
/// names every served call's Bedrock request id, so each call Bedrock may charge can be matched to it.
/// </summary>
internal sealed class EmbeddingsExchange(BedrockClient bedrock, TimeProvider time)
{
    /// <summary>Titan calls in flight at once for one request: enough to hide most of a call's latency, few enough not to trip the account's per-model throttling.</summary>
    public const int Parallelism = 4;

    public async Task<CallOutcome> RunAsync(RequestContext context, BedrockCall call, EmbeddingsRequest request)
    {
        IReadOnlyList<EmbeddingBodies.Call> calls = EmbeddingBodies.For(request);
        var run = new EmbeddingsRun(calls.Count, time, context.StartTimestamp, () => call.InputTokenEstimate);
        try
        {
            await context.Admission.CallAsync(ct => RunAllAsync(context, call, request, calls, run, ct), context.Cancellation).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, the calls Bedrock served are what the pipeline bills if this throws (a refusal, the deadline).
            context.Usage = run.Tracker;
            context.BedrockRoute = run.Route ?? context.BedrockRoute;
            context.BedrockRequestId = run.FirstRequestId;
            context.BedrockRequestIds = run.RequestIds is { Count: > 0 } ids ? ids : null;
            context.BedrockCalls = run.ServedCalls is > 0 and int served ? served : null;
        }

        IReadOnlyList<KeyValuePair<string, string>> headers = context.Admission.Headers;
        if (run.Failure is BedrockException failure)
        {
            context.BedrockRoute = failure.Route ?? run.Route;
            ApiError error = BedrockFailure.ToApiError(failure, headers);
            await context.Response.SendAsync(ErrorResponses.Render(error, ErrorStyle.OpenAi), context.Cancellation).ConfigureAwait(false);
            return run.Outcome(error.StatusCode, error.Type);
        }
        if (run.Unreadable)
        {
            var error = new ApiError(502, "InvalidBedrockResponse", "Bedrock answered the embeddings request with a body that holds no embeddings the proxy could read.")
            {
                ExtraHeaders = headers,
            };
            await context.Response.SendAsync(ErrorResponses.Render(error, ErrorStyle.OpenAi), context.Cancellation).ConfigureAwait(false);
            return run.Outcome(error.StatusCode, error.Type);
        }

        float[][] vectors = run.Vectors(request.Texts.Count, calls);
        var answerHeaders = new List<KeyValuePair<string, string>>(headers.Count + 2) { new("content-type", "application/json") };
        if (run.FirstRequestId is string requestId)
        {
            answerHeaders.Add(new(BedrockResponseHeaders.RequestId, requestId));
        }
        answerHeaders.AddRange(headers);
        ReadOnlyMemory<byte> body = EmbeddingsJson.Write(request.Model, vectors, request.Base64, run.Tokens.InputTokens);
        await context.Response.SendAsync(new ProxyResponse(200, answerHeaders, body), context.Cancellation).ConfigureAwait(false);
        return run.Outcome(200, null);
    }

    /// <summary>Never throws a Bedrock failure (it is kept in <paramref name="run"/>); throws only when <paramref name="cancellationToken"/> fires.</summary>
    private async Task<EmbeddingsRun> RunAllAsync(
        RequestContext context, BedrockCall call, EmbeddingsRequest request, IReadOnlyList<EmbeddingBodies.Call> calls, EmbeddingsRun run,
        CancellationToken cancellationToken)
    {
        DateTimeOffset retryDeadline = UnaryExchange.RetryDeadline(context);
        int next = -1;
        async Task WorkAsync()
        {
            int index;
            while (!run.Stopped && (index = Interlocked.Increment(ref next)) < calls.Count)
            {
                EmbeddingBodies.Call one = calls[index];
                BedrockResponse response;
                try
                {
                    response = await bedrock.SendAsync(BedrockOperation.InvokeModel, call.ModelId, one.Body, call.Headers, retryDeadline, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (BedrockException ex)
                {
                    run.Fail(ex);
                    return;
                }
                TokenUsage? reported = BedrockUsageReader.FromInvokeModelHeaders(response.Headers)?.Tokens
                    ?? (request.Family.IsTitan && EmbeddingAnswerReader.TitanInputTokens(response.Body.Span) is long counted
                        ? new TokenUsage(counted, 0) : null);
                long estimate = 0;
                if (reported is null)
                {
                    // Bedrock sent no count: the texts' estimate, marked as such (never 0 for a call Bedrock served).
                    estimate = TokenEstimate.RequestOverhead;
                    for (int i = one.First; i < one.First + one.Count; i++)
                    {
                        estimate += TokenEstimate.FromText(request.Texts[i]);
                    }
                }
                float[][]? vectors = EmbeddingAnswerReader.Read(response.Body.Span, request.Family.IsTitan, one.Count);
                run.Served(index, vectors, reported, estimate, response);
            }
        }
        Task[] workers = new Task[Math.Min(Parallelism, calls.Count)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        return run;
    }
}
