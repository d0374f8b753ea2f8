using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Routing;

/// <summary>
/// The authenticated path every surface shares: authenticate → read the request → admit →
/// call Bedrock and answer → then, with the answer delivered, record usage and settle tokens
/// (off the caller's critical path but before the function takes its next invocation).
/// </summary>
internal sealed class ProxyPipeline(
    ApiKeyAuthenticator authenticator,
    Admission admission,
    UsageRecorder usage,
    UsageLog usageLog,
    JsonLog log,
    TimeProvider time)
{
    /// <summary>How long the after-answer bookkeeping may take; it runs even if the caller left.</summary>
    private static readonly TimeSpan BookkeepingBudget = TimeSpan.FromSeconds(5);

    public async Task RunAsync(RequestContext context, ISurface surface)
    {
        AuthResult auth = await authenticator.AuthenticateAsync(context.Request.Header("authorization"), context.Cancellation)
            .ConfigureAwait(false);
        if (!auth.IsSuccess)
        {
            if (auth.FailureDetail is string detail)
            {
                // DynamoDB could not be asked: operators need to know why (no key material in it).
                log.Write("error", "authentication unavailable", json =>
                {
                    json.WriteString("request_id", context.RequestId);
                    json.WriteString("failure", detail);
                });
            }
            await RejectAsync(context, surface, AuthError(auth)).ConfigureAwait(false);
            return;
        }
        CustomerContext customer = auth.Customer!;

        if (!surface.TryPrepare(context, out BedrockCall? call, out ApiError? invalid))
        {
            await RejectAsync(context, surface, invalid!).ConfigureAwait(false);
            return;
        }

        AdmissionDecision decision = await admission.AdmitAsync(customer, call!.ModelId, call.ReservedTokens, context.Cancellation)
            .ConfigureAwait(false);
        if (decision.Failure is Exception failure)
        {
            // Admission could not reach DynamoDB and answered by LIMITS_FAILURE_MODE (503, or admitted).
            log.Error("admission could not reach DynamoDB", failure, json =>
            {
                json.WriteString("request_id", context.RequestId);
                json.WriteBoolean("admitted", decision.IsAdmitted);
            });
        }
        if (!decision.IsAdmitted)
        {
            await RejectAsync(context, surface, AdmissionError(decision)).ConfigureAwait(false);
            return;
        }

        CallOutcome outcome;
        try
        {
            outcome = await surface.ExecuteAsync(context, call, decision.Headers).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // Answer first: the deadline leaves little time, and the caller must not wait for bookkeeping.
            bool deadline = ex is OperationCanceledException && context.Cancellation.IsCancellationRequested;
            ApiError error = deadline
                ? ApiError.DeadlineExceeded()
                : ApiError.Internal(context.RequestId);
            if (!deadline)
            {
                log.Error("request failed before the answer started", ex, json => json.WriteString("request_id", context.RequestId));
            }
            await context.Response.SendAsync(ErrorResponses.Render(error with { ExtraHeaders = decision.Headers }, surface.Style), CancellationToken.None)
                .ConfigureAwait(false);
            outcome = new CallOutcome(error.StatusCode, error.Type, null, null);
        }
        catch (Exception)
        {
            // The answer had started: the runtime ends the stream with error trailers; bill what happened.
            await RecordAsync(context, surface, customer, call, decision, new CallOutcome(200, "InternalServerException", null, null))
                .ConfigureAwait(false);
            throw;
        }
        await RecordAsync(context, surface, customer, call, decision, outcome).ConfigureAwait(false);
    }

    private async Task RecordAsync(
        RequestContext context, ISurface surface, CustomerContext customer, BedrockCall call, AdmissionDecision decision, CallOutcome outcome)
    {
        var record = new UsageRecord
        {
            RequestId = context.RequestId,
            CustomerId = customer.CustomerId,
            KeyId = customer.KeyId,
            ModelId = call.ModelId,
            Surface = surface.Name,
            Streamed = call.Streams,
            HttpStatus = outcome.HttpStatus,
            ErrorType = outcome.ErrorType,
            Tokens = outcome.Tokens,
            LatencyMs = time.GetElapsedTime(context.StartTimestamp).TotalMilliseconds,
            TimeToFirstTokenMs = outcome.TimeToFirstTokenMs,
            Timestamp = time.GetUtcNow(),
        };
        usageLog.Write(record);
        using var budget = new CancellationTokenSource(BookkeepingBudget, time);
        // One write stores the record, another adds it to the month and settles the token
        // reservation: with admission, three writes per request in all.
        await usage.RecordAsync(record, decision, budget.Token).ConfigureAwait(false);
    }

    private static Task RejectAsync(RequestContext context, ISurface surface, ApiError error) =>
        context.Response.SendAsync(ErrorResponses.Render(error, surface.Style), context.Cancellation);

    internal static ApiError AuthError(AuthResult auth)
    {
        string type = auth.StatusCode switch
        {
            400 => "ValidationException",
            401 => "UnrecognizedClientException",
            403 => "AccessDeniedException",
            _ => "ServiceUnavailableException",
        };
        var error = new ApiError(auth.StatusCode, type, auth.Message);
        return auth.WwwAuthenticate is string challenge
            ? error with { ExtraHeaders = [new("www-authenticate", challenge)] }
            : auth.StatusCode == 503 ? error with { RetryAfterSeconds = 1 } : error;
    }

    internal static ApiError AdmissionError(AdmissionDecision decision)
    {
        string type = decision.Status switch
        {
            403 => "AccessDeniedException",
            429 => "ThrottlingException",
            _ => "ServiceUnavailableException",
        };
        // The decision's headers carry Retry-After with the rate-limit headers.
        return new ApiError(decision.Status, type, decision.Message ?? "The request was not admitted.")
        {
            ExtraHeaders = decision.Headers,
        };
    }
}
