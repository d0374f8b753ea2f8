using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Metrics;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Routing;

/// <summary>
/// The authenticated path every surface shares: authenticate → read the request → admit →
/// call Bedrock and answer → then, with the answer delivered, record usage and settle tokens
/// (off the caller's critical path but before the function takes its next invocation). For a
/// customer well inside its limits, admitting and calling Bedrock run side by side, and the answer
/// waits for the admission (<see cref="AdmissionGate"/>).
/// Every request that reaches it, refused or not, writes one metrics line when metrics are on.
/// </summary>
internal sealed class ProxyPipeline(
    ApiKeyAuthenticator authenticator,
    Admission admission,
    UsageRecorder usage,
    UsageLog usageLog,
    JsonLog log,
    TimeProvider time,
    MetricsLog? metrics = null,
    bool overlapBedrock = true)
{
    /// <summary>How long the after-answer bookkeeping may take; it runs even if the caller left.</summary>
    private static readonly TimeSpan BookkeepingBudget = TimeSpan.FromSeconds(5);

    public async Task RunAsync(RequestContext context, ISurface surface)
    {
        CustomerContext? customer = await AuthenticateAsync(context, surface.Style).ConfigureAwait(false);
        if (customer is null)
        {
            return;
        }

        if (!surface.TryPrepare(context, out BedrockCall? prepared, out ApiError? invalid))
        {
            await RejectAsync(context, surface.Style, invalid!).ConfigureAwait(false);
            WriteRefusal(context, customer.CustomerId, null, invalid!.StatusCode, ThrottleSource.None);
            return;
        }

        BedrockCall call = prepared!;
        // Near a limit (or not yet seen) admission decides before Bedrock is called; with room to
        // spare the Bedrock call goes out alongside the admission write (see AdmissionGate).
        bool overlap = overlapBedrock && admission.HasHeadroom(customer, call.ModelId, call.ReservedTokens);
        // Overlapped, the admission starts on another thread: the SDK signs and marshals the write
        // synchronously, which would otherwise delay the Bedrock request by that much.
        using var gate = new AdmissionGate(overlap ? Task.Run(() => AdmitAsync(context, customer, call)) : AdmitAsync(context, customer, call));
        if (!overlap)
        {
            AdmissionDecision decided = await gate.Decision.ConfigureAwait(false);
            if (!decided.IsAdmitted)
            {
                await RefuseAsync(context, surface, customer, call, decided).ConfigureAwait(false);
                return;
            }
        }
        context.Admission = gate;

        CallOutcome outcome;
        try
        {
            outcome = await surface.ExecuteAsync(context, call).ConfigureAwait(false);
        }
        catch (AdmissionRefusedException refused) when (!context.Response.HasStarted)
        {
            await RefuseAsync(context, surface, customer, call, refused.Decision).ConfigureAwait(false);
            // Rare by design (other instances used half a limit since this one last wrote), and the
            // operator may pay Bedrock for the cancelled call: worth a line.
            log.Write("warn", "admission refused a request whose Bedrock call had started; the call was cancelled", json =>
            {
                json.WriteString("request_id", context.RequestId);
                json.WriteString("customer_id", customer.CustomerId);
                json.WriteNumber("status", refused.Decision.Status);
            });
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // Nothing may be answered before admission has decided, this error included.
            AdmissionDecision decided = await gate.Decision.ConfigureAwait(false);
            if (!decided.IsAdmitted)
            {
                await RefuseAsync(context, surface, customer, call, decided).ConfigureAwait(false);
                return;
            }
            // Answer first: the deadline leaves little time, and the caller must not wait for bookkeeping.
            bool deadline = ex is OperationCanceledException && context.Cancellation.IsCancellationRequested;
            ApiError error = deadline
                ? ApiError.DeadlineExceeded()
                : ApiError.Internal(context.RequestId);
            if (!deadline)
            {
                log.Error("request failed before the answer started", ex, json => json.WriteString("request_id", context.RequestId));
            }
            await context.Response.SendAsync(ErrorResponses.Render(error with { ExtraHeaders = decided.Headers }, surface.Style), CancellationToken.None)
                .ConfigureAwait(false);
            outcome = new CallOutcome(error.StatusCode, error.Type, null, null);
        }
        catch (Exception)
        {
            // The answer had started (so admission admitted it): the runtime ends the stream with
            // error trailers; bill what happened.
            AdmissionDecision started = await gate.Decision.ConfigureAwait(false);
            await RecordAsync(context, surface, customer, call, started, new CallOutcome(200, "InternalServerException", null, null), proxyFailed: true)
                .ConfigureAwait(false);
            throw;
        }
        AdmissionDecision decision = await gate.Decision.ConfigureAwait(false);
        await RecordAsync(context, surface, customer, call, decision, outcome).ConfigureAwait(false);
    }

    /// <summary>Admits the request; a limits store that could not be reached is logged here, whatever the mode decided.</summary>
    private async Task<AdmissionDecision> AdmitAsync(RequestContext context, CustomerContext customer, BedrockCall call)
    {
        AdmissionDecision decision = await admission.AdmitAsync(customer, call.ModelId, call.ReservedTokens, context.Cancellation)
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
        return decision;
    }

    private async Task RefuseAsync(RequestContext context, ISurface surface, CustomerContext customer, BedrockCall call, AdmissionDecision decision)
    {
        await RejectAsync(context, surface.Style, AdmissionError(decision)).ConfigureAwait(false);
        WriteRefusal(context, customer.CustomerId, call.ModelId, decision.Status,
            decision.Status == 429 ? ThrottleSource.Customer : ThrottleSource.None);
    }

    /// <summary>
    /// Authenticates and hands the customer to a handler that calls no model (listing models):
    /// no admission and no usage record, because nothing billable happens.
    /// </summary>
    public async Task RunForCustomerAsync(RequestContext context, ErrorStyle style, CustomerRouteHandler handler)
    {
        CustomerContext? customer = await AuthenticateAsync(context, style).ConfigureAwait(false);
        if (customer is not null)
        {
            await handler(context, customer).ConfigureAwait(false);
        }
    }

    /// <summary>The caller's customer, or null once the rejection has been sent.</summary>
    private async Task<CustomerContext?> AuthenticateAsync(RequestContext context, ErrorStyle style)
    {
        string? authorization = context.Request.Header("authorization");
        // Anthropic's clients may send the key as x-api-key instead (Surfaces/Anthropic/AnthropicApiKey).
        if (style == ErrorStyle.Anthropic
            && !Surfaces.Anthropic.AnthropicApiKey.TryAuthorization(context.Request, out authorization, out ApiError? twoKeys))
        {
            await RejectAsync(context, style, twoKeys!).ConfigureAwait(false);
            WriteRefusal(context, null, null, twoKeys!.StatusCode, ThrottleSource.None);
            return null;
        }
        AuthResult auth = await authenticator.AuthenticateAsync(authorization, context.Cancellation)
            .ConfigureAwait(false);
        if (auth.IsSuccess)
        {
            return auth.Customer!;
        }
        if (auth.FailureDetail is string detail)
        {
            // DynamoDB could not be asked: operators need to know why (no key material in it).
            log.Write("error", "authentication unavailable", json =>
            {
                json.WriteString("request_id", context.RequestId);
                json.WriteString("failure", detail);
            });
        }
        await RejectAsync(context, style, AuthError(auth)).ConfigureAwait(false);
        WriteRefusal(context, null, null, auth.StatusCode, ThrottleSource.None);
        return null;
    }

    private async Task RecordAsync(
        RequestContext context,
        ISurface surface,
        CustomerContext customer,
        BedrockCall call,
        AdmissionDecision decision,
        CallOutcome outcome,
        bool proxyFailed = false)
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
            BedrockRegion = context.BedrockRoute?.Region,
            BedrockAttempts = context.BedrockRoute?.Attempts,
        };
        usageLog.Write(record);
        if (metrics is not null)
        {
            (ErrorClass error, ThrottleSource throttle) = proxyFailed
                ? (ErrorClass.Proxy, ThrottleSource.None)
                : ErrorClassifier.FromOutcome(outcome.HttpStatus, outcome.ErrorType);
            metrics.Write(new RequestMetrics
            {
                RequestId = record.RequestId,
                CustomerId = record.CustomerId,
                ModelId = record.ModelId,
                BedrockRegion = record.BedrockRegion,
                HttpStatus = record.HttpStatus,
                Error = error,
                Throttle = throttle,
                LatencyMs = record.LatencyMs,
                TimeToFirstTokenMs = record.TimeToFirstTokenMs,
                Tokens = record.Tokens,
                Failovers = context.BedrockRoute?.Failovers ?? 0,
            });
        }
        using var budget = new CancellationTokenSource(BookkeepingBudget, time);
        // One write stores the record, another adds it to the month and settles the token
        // reservation: with admission, three writes per request in all.
        await usage.RecordAsync(record, decision, budget.Token).ConfigureAwait(false);
    }

    /// <summary>The metrics line of a request refused before Bedrock: auth, a bad body, admission.</summary>
    private void WriteRefusal(RequestContext context, string? customerId, string? modelId, int status, ThrottleSource throttle) =>
        metrics?.WriteRefusal(
            context.RequestId,
            status,
            // 503 here is DynamoDB out of reach (authentication or admission): the proxy's side.
            status >= 500 ? ErrorClass.Proxy : ErrorClass.Client,
            time.GetElapsedTime(context.StartTimestamp).TotalMilliseconds,
            customerId,
            modelId,
            throttle);

    private static Task RejectAsync(RequestContext context, ErrorStyle style, ApiError error) =>
        context.Response.SendAsync(ErrorResponses.Render(error, style), context.Cancellation);

    internal static ApiError AuthError(AuthResult auth)
    {
        string type = auth.StatusCode switch
        {
            400 => "ValidationException",
            401 => "UnrecognizedClientException",
            403 => "AccessDeniedException",
            _ => "ServiceUnavailableException",
        };
        var error = new ApiError(auth.StatusCode, type, auth.Message) { Code = auth.ErrorCode };
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
