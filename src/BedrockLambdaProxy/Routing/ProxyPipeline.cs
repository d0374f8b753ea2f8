using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Metrics;
using BedrockLambdaProxy.Pricing;
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
    bool overlapBedrock = true,
    ConcurrencySlots? concurrency = null,
    OutputTokenDefaults? outputDefaults = null,
    PriceBook? prices = null)
{
    /// <summary>How long the after-answer bookkeeping may take at most; it runs even if the caller left.</summary>
    internal static readonly TimeSpan BookkeepingBudget = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Kept free before Lambda's hard deadline once the bookkeeping gives up: enough to write and
    /// flush the <c>usage_record_unwritten</c> line to stdout (CloudWatch) before the sandbox is frozen,
    /// even when a busy host runs the budget's timer late (250 ms lost the line now and then in the
    /// reconciliation test on a loaded 2-core machine).
    /// </summary>
    internal static readonly TimeSpan BookkeepingSafetyGap = TimeSpan.FromMilliseconds(500);

    /// <summary>Error type of a request whose answer the Lambda runtime refused (or whose send broke) before it started.</summary>
    internal const string ResponseRefusedType = "ResponseRefused";

    /// <summary>How long a cold worker's first record waits for the price overrides before it is priced without them.</summary>
    internal static readonly TimeSpan PriceLoadWait = TimeSpan.FromSeconds(1);

    /// <summary>How long giving a concurrency slot back may take; a slot not given back expires at the invocation's deadline.</summary>
    private static readonly TimeSpan ReleaseBudget = TimeSpan.FromSeconds(2);

    private readonly OutputTokenDefaults _outputDefaults = outputDefaults ?? OutputTokenDefaults.Default;
    private readonly PriceBook _prices = prices ?? PriceBook.Empty;
    /// <summary>Admission of API keys' own limits, on their counter items beside the customers'.</summary>
    private readonly Admission _keyAdmission = admission.ForKeys();

    /// <summary>
    /// Runs the request and, however it ended (answered, refused, failed, cut off), gives back the
    /// concurrency slots it may hold (its customer's, its API key's), after its bookkeeping.
    /// </summary>
    public async Task RunAsync(RequestContext context, ISurface surface)
    {
        var lease = new ConcurrencyLease();
        var keyLease = new ConcurrencyLease();
        try
        {
            await RunHoldingAsync(context, surface, lease, keyLease).ConfigureAwait(false);
        }
        finally
        {
            await Task.WhenAll(ReleaseAsync(context, lease), ReleaseAsync(context, keyLease)).ConfigureAwait(false);
        }
    }

    private async Task RunHoldingAsync(RequestContext context, ISurface surface, ConcurrencyLease lease, ConcurrencyLease keyLease)
    {
        CustomerContext? customer = await AuthenticateAsync(context, surface.Style).ConfigureAwait(false);
        if (customer is null)
        {
            return;
        }

        // Checked for every surface before anything else reads the request (see BedrockRequestHeaders.FindInvalid).
        ApiError? invalid = BedrockRequestHeaders.FindInvalid(context.Request.Header) is { } badHeader
            ? ApiError.BadRequest(BedrockRequestHeaders.InvalidValueMessage(badHeader))
            : null;
        if (invalid is not null || !surface.TryPrepare(context, out BedrockCall? prepared, out invalid))
        {
            await RejectAsync(context, surface.Style, invalid!).ConfigureAwait(false);
            WriteRefusal(context, customer.CustomerId, null, invalid!.StatusCode, ThrottleSource.None);
            return;
        }

        BedrockCall call = prepared!;
        // The key as admission sees it when it has limits of its own (decided once: headroom and admission both use it).
        CustomerContext? key = customer.KeyLimits is { Any: true } own ? KeyScope(customer, own) : null;
        // Estimating the input walks the body: only a customer whose counters admission writes needs it.
        TokenReservation reservation = customer.Limits.HasCounterLimits || key is { Limits.HasCounterLimits: true }
            ? TokenReservation.For(call, _outputDefaults)
            : default;
        // Priced only for a budget: other customers' admission writes stay exactly as they were. A cold
        // worker reads the price overrides first (once), so a model priced only by `prices set` is not
        // refused as unpriced, nor reserved at a shipped price the operator replaced.
        CostReservation cost = default;
        if (customer.Limits.MonthlyBudgetMicroUsd is not null || key?.Limits.MonthlyBudgetMicroUsd is not null)
        {
            await WaitForPricesAsync(context).ConfigureAwait(false);
            cost = CostReservation.For(reservation, call.ModelId, _prices);
        }
        // Near a limit (or not yet seen) admission decides before Bedrock is called; with room to
        // spare the Bedrock call goes out alongside the admission write (see AdmissionGate).
        bool overlap = overlapBedrock && HasHeadroom(customer, key, call.ModelId, reservation.Total, cost);
        // Overlapped, the admission starts on another thread: the SDK signs and marshals the write
        // synchronously, which would otherwise delay the Bedrock request by that much.
        using var gate = new AdmissionGate(overlap
            ? Task.Run(() => AdmitAsync(context, customer, key, call, reservation, cost, lease, keyLease))
            : AdmitAsync(context, customer, key, call, reservation, cost, lease, keyLease));
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
        catch (AdmissionRefusedException refused) when (!context.Response.HasStarted && !context.Response.SendAttempted)
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
            if (context.Usage is { } charged)
            {
                // Bedrock had accepted the call before the refusal cancelled it: it may charge it.
                await RecordAsync(context, surface, customer, call, refused.Decision, charged.Outcome(refused.Decision.Status, "ThrottlingException"))
                    .ConfigureAwait(false);
            }
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted && context.Response.SendAttempted)
        {
            // The runtime refused the answer (the Runtime API answered an error, or the send broke):
            // no second answer can be tried, but Bedrock's work is still billed before the loop
            // reports the failure.
            log.Error("the Lambda runtime refused the answer", ex, json => json.WriteString("request_id", context.RequestId));
            AdmissionDecision refusedAnswer = await gate.Decision.ConfigureAwait(false);
            await RecordAsync(context, surface, customer, call, refusedAnswer, Charged(context, 502, ResponseRefusedType), proxyFailed: true)
                .ConfigureAwait(false);
            throw;
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
            outcome = Charged(context, error.StatusCode, error.Type);
        }
        catch (Exception)
        {
            // The answer had started (so admission admitted it): the runtime ends the stream with
            // error trailers; bill what happened.
            AdmissionDecision started = await gate.Decision.ConfigureAwait(false);
            await RecordAsync(context, surface, customer, call, started, Charged(context, 200, "InternalServerException"), proxyFailed: true)
                .ConfigureAwait(false);
            throw;
        }
        if (context.Response.TooLarge is { } tooLarge)
        {
            // The exchange billed Bedrock's work; the caller got the ResponseTooLarge error instead.
            outcome = outcome with { HttpStatus = tooLarge.StatusCode, ErrorType = tooLarge.Type };
        }
        AdmissionDecision decision = await gate.Decision.ConfigureAwait(false);
        await RecordAsync(context, surface, customer, call, decision, outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// How a request that failed in the proxy is billed: from what Bedrock reported or what the
    /// exchange saw (estimated) once Bedrock accepted the call, else nothing (Bedrock was never reached or refused).
    /// </summary>
    private static CallOutcome Charged(RequestContext context, int status, string errorType) =>
        context.Usage?.Outcome(status, errorType) ?? new CallOutcome(status, errorType, null, null);

    /// <summary>
    /// The time the after-answer bookkeeping may take: <see cref="BookkeepingBudget"/>, but never past
    /// Lambda's hard deadline less <see cref="BookkeepingSafetyGap"/>, so that a slow DynamoDB at the
    /// deadline still leaves time for the unwritten line. The runtime's deadline margin
    /// (Program.DeadlineMargin, 2 s) fires the request's token early enough for both.
    /// </summary>
    internal static TimeSpan BookkeepingBudgetFor(DateTimeOffset hardDeadline, DateTimeOffset now)
    {
        if (hardDeadline == DateTimeOffset.MaxValue)
        {
            return BookkeepingBudget;
        }
        TimeSpan left = hardDeadline - BookkeepingSafetyGap - now;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left < BookkeepingBudget ? left : BookkeepingBudget;
    }

    /// <summary>
    /// Admits the request against its customer's limits and, when its API key has limits of its own, against those too,
    /// with the key's writes sent beside the customer's (one round trip of wall time). A request needs both: when one
    /// refuses, the other's reservation is given back at once (one write, refusals only), and the refusal names whose
    /// limit it was. Keys without limits of their own cost nothing here.
    /// </summary>
    /// <param name="key">The key's own limits as admission sees them (<see cref="KeyScope"/>); null for a key without any.</param>
    private async Task<AdmissionDecision> AdmitAsync(
        RequestContext context, CustomerContext customer, CustomerContext? key, BedrockCall call, TokenReservation reservation, CostReservation cost,
        ConcurrencyLease lease, ConcurrencyLease keyLease)
    {
        if (key is null)
        {
            return await AdmitScopeAsync(context, admission, customer, call, reservation, cost, lease).ConfigureAwait(false);
        }
        Task<AdmissionDecision> forCustomer = AdmitScopeAsync(context, admission, customer, call, reservation, cost, lease);
        Task<AdmissionDecision> forKey = AdmitScopeAsync(context, _keyAdmission, key, call, reservation, cost, keyLease);
        AdmissionDecision[] both = await Task.WhenAll(forCustomer, forKey).ConfigureAwait(false);
        (AdmissionDecision customerDecision, AdmissionDecision keyDecision) = (both[0], both[1]);
        if (customerDecision.IsAdmitted && keyDecision.IsAdmitted)
        {
            return customerDecision with
            {
                Headers = RateLimitHeaders.Tighter(customerDecision.Headers, keyDecision.Headers),
                // A key with only a concurrency cap has no counter item: nothing to settle on it.
                KeySettlement = key.Limits.HasCounterLimits ? keyDecision.Settlement : null,
                Failure = customerDecision.Failure ?? keyDecision.Failure,
            };
        }
        (AdmissionDecision refusal, Admission? other, AdmissionDecision? admitted) = !customerDecision.IsAdmitted
            ? (customerDecision, keyDecision.IsAdmitted ? _keyAdmission : null, keyDecision)
            : (keyDecision, admission, customerDecision);
        if (other is not null)
        {
            await GiveBackAsync(context, other, admitted!).ConfigureAwait(false);
        }
        return refusal;
    }

    /// <summary>The key as admission sees it: its id in place of the customer's, its own limits, any model (the customer's list applies).</summary>
    private static CustomerContext KeyScope(CustomerContext customer, CustomerLimits keyLimits) =>
        new(customer.KeyId, customer.KeyId, keyLimits, []);

    /// <summary>
    /// Whether the Bedrock call may go out beside admission: only if the last seen counters (and slots) of the customer and,
    /// for a key with limits of its own, of the key leave the request inside half of every limit, and at least one write is due.
    /// </summary>
    private bool HasHeadroom(CustomerContext customer, CustomerContext? key, string modelId, long reservedTokens, CostReservation cost)
    {
        bool writes = customer.Limits.HasCounterLimits || key is { Limits.HasCounterLimits: true };
        return writes
            && admission.HasHeadroom(customer, modelId, reservedTokens, cost, noWriteIsRoom: true) && SlotHeadroom(admission, customer)
            && (key is null || (_keyAdmission.HasHeadroom(key, modelId, reservedTokens, cost, noWriteIsRoom: true) && SlotHeadroom(_keyAdmission, key)));
    }

    private bool SlotHeadroom(Admission scope, CustomerContext subject) =>
        subject.Limits.MaxConcurrent is not int cap || concurrency is null || concurrency.HasHeadroom(scope.Scope.SlotId(subject.CustomerId), cap);

    /// <summary>Gives back the reservation of a request the other set of limits refused; a failure is logged (the counter stays high until the window ends).</summary>
    private async Task GiveBackAsync(RequestContext context, Admission scope, AdmissionDecision admitted)
    {
        try
        {
            await scope.SettleAsync(admitted, null, context.Cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Cancellation.IsCancellationRequested)
        {
            log.Error("could not give back the reservation of a request refused by " + (scope.Scope == LimitScope.ApiKey ? "its customer's" : "its API key's") + " limits", ex,
                json => json.WriteString("request_id", context.RequestId));
        }
    }

    /// <summary>
    /// Admits the request against one set of limits (the customer's, or the API key's own) and, when that set has a
    /// concurrency cap, takes a slot in a write sent at the same time (one round trip); a limits store that could not
    /// be reached is logged here, whatever the mode decided.
    /// </summary>
    private async Task<AdmissionDecision> AdmitScopeAsync(
        RequestContext context, Admission scope, CustomerContext subject, BedrockCall call, TokenReservation reservation, CostReservation cost,
        ConcurrencyLease lease)
    {
        Task<(bool? Held, Exception? Failure)>? slot = subject.Limits.MaxConcurrent is int cap && concurrency is not null
            ? AcquireAsync(context, scope.Scope.SlotId(subject.CustomerId), cap, lease)
            : null;
        AdmissionDecision decision = await scope.AdmitAsync(subject, call.ModelId, reservation.Total, cost, context.Cancellation)
            .ConfigureAwait(false);
        if (decision.Status == 429 && decision.LimitName is LimitNames.TokensPerMinute or LimitNames.TokensPerDay or LimitNames.MonthlyTokenQuota)
        {
            decision = decision with { Message = decision.Message + " " + reservation.Explain() };
        }
        if (slot is not null)
        {
            decision = await WithSlotAsync(context, scope, subject, decision, await slot.ConfigureAwait(false)).ConfigureAwait(false);
        }
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

    /// <summary>Takes the slot; (null, failure) when DynamoDB could not answer. Throws only when the request's own token fired.</summary>
    private async Task<(bool? Held, Exception? Failure)> AcquireAsync(RequestContext context, string customerId, int cap, ConcurrencyLease lease)
    {
        // Before the write: if its answer is lost the slot may be taken, and the release must still happen.
        lease.Hold(customerId);
        try
        {
            DateTimeOffset expiry = context.HardDeadline == DateTimeOffset.MaxValue ? context.Deadline : context.HardDeadline;
            bool held = await concurrency!.TryAcquireAsync(customerId, cap, context.RequestId, expiry, context.Cancellation).ConfigureAwait(false);
            if (!held)
            {
                lease.Drop();
            }
            return (held, null);
        }
        catch (Exception ex) when (!context.Cancellation.IsCancellationRequested)
        {
            return (null, ex);
        }
    }

    /// <summary>
    /// Combines the token admission with the slot: a request needs both. A token reservation made for a
    /// request the cap refuses is given back at once (one write, refusals only).
    /// </summary>
    private async Task<AdmissionDecision> WithSlotAsync(
        RequestContext context, Admission scope, CustomerContext subject, AdmissionDecision decision, (bool? Held, Exception? Failure) slot)
    {
        if (!decision.IsAdmitted || slot.Held == true || (slot.Held is null && scope.FailsOpen))
        {
            // Refused by the token limits (the slot, if taken, goes back at the end), or admitted with a slot,
            // or the cap's store is out of reach and LIMITS_FAILURE_MODE=open admits uncounted.
            return slot.Failure is { } failure && decision.Failure is null ? decision with { Failure = failure } : decision;
        }
        try
        {
            await scope.SettleAsync(decision, null, context.Cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Cancellation.IsCancellationRequested)
        {
            log.Error("could not give back the token reservation of a request the concurrency cap refused", ex,
                json => json.WriteString("request_id", context.RequestId));
        }
        bool unavailable = slot.Held is null;
        TimeSpan retryAfter = unavailable ? TimeSpan.FromSeconds(1) : ConcurrencySlots.RetryAfter;
        var headers = new List<KeyValuePair<string, string>>(decision.Headers.Count + 1);
        headers.AddRange(decision.Headers.Where(h => h.Key != RateLimitHeaders.RetryAfter));
        headers.Add(new(RateLimitHeaders.RetryAfter, RateLimitHeaders.WholeSeconds((long)retryAfter.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new AdmissionDecision
        {
            IsAdmitted = false,
            Status = unavailable ? 503 : 429,
            LimitName = unavailable ? null : LimitNames.MaxConcurrent,
            Message = unavailable
                ? "Rate limiting is temporarily unavailable; retry shortly."
                : $"Concurrency limit exceeded: at most {subject.Limits.MaxConcurrent} requests in flight at once for {scope.Scope.Owner} (max_concurrent); retry when one of them has finished.",
            RetryAfter = retryAfter,
            Headers = headers,
            Failure = slot.Failure,
        };
    }

    /// <summary>Gives the request's concurrency slot back, if it holds one: one write, with its own short budget.</summary>
    private async Task ReleaseAsync(RequestContext context, ConcurrencyLease lease)
    {
        if (lease.CustomerId is not string customerId || concurrency is null)
        {
            return;
        }
        using var budget = new CancellationTokenSource(ReleaseBudget, time);
        if (await concurrency.ReleaseAsync(customerId, context.RequestId, budget.Token).ConfigureAwait(false) is Exception failure)
        {
            log.Error("could not give back a concurrency slot; it expires at the invocation's deadline", failure,
                json => json.WriteString("request_id", context.RequestId));
        }
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
            Estimated = outcome.Tokens is not null && outcome.TokensEstimated,
            BedrockRequestId = context.BedrockRequestId,
            BedrockRequestIds = context.BedrockRequestIds,
            BedrockCalls = context.BedrockCalls,
            LatencyMs = time.GetElapsedTime(context.StartTimestamp).TotalMilliseconds,
            TimeToFirstTokenMs = outcome.TimeToFirstTokenMs,
            Timestamp = time.GetUtcNow(),
            BedrockRegion = context.BedrockRoute?.Region,
            BedrockAttempts = context.BedrockRoute?.Attempts,
        };
        await WaitForPricesAsync(context).ConfigureAwait(false);
        record = Priced(record, _prices);
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
                // Bedrock answered for this model (or counted its tokens): only then is the id a known model.
                ModelServed = context.BedrockRoute is not null && (record.HttpStatus is >= 200 and < 300 || record.Tokens is not null),
                BedrockRegion = record.BedrockRegion,
                HttpStatus = record.HttpStatus,
                Error = error,
                Throttle = throttle,
                LatencyMs = record.LatencyMs,
                TimeToFirstTokenMs = record.TimeToFirstTokenMs,
                Tokens = record.Tokens,
                CostMicroUsd = record.CostMicroUsd,
                Failovers = context.BedrockRoute?.Failovers ?? 0,
            });
        }
        using var budget = new CancellationTokenSource(BookkeepingBudgetFor(context.HardDeadline, time.GetUtcNow()), time);
        // A key with limits of its own: its counter item is corrected beside the record's writes (one more write, no more wait).
        Task keySettled = decision.KeySettlement is { } keySettlement
            ? SettleKeyAsync(context, keySettlement, record, budget.Token)
            : Task.CompletedTask;
        // One write stores the record, another adds it to the month and settles the token
        // reservation: with admission, three writes per request in all.
        await usage.RecordAsync(record, decision, budget.Token).ConfigureAwait(false);
        await keySettled.ConfigureAwait(false);
    }

    /// <summary>Corrects the key's own counters with the record's tokens and cost; a failure leaves them high (conservative) and is logged.</summary>
    private async Task SettleKeyAsync(RequestContext context, Settlement settlement, UsageRecord record, CancellationToken ct)
    {
        try
        {
            await _keyAdmission.SettleAsync(settlement, record.Tokens, record.CostMicroUsd, ct).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.Error("could not settle the API key's own counters; they keep the reservation until the window ends", ex,
                json => json.WriteString("request_id", context.RequestId));
        }
    }

    /// <summary>
    /// Only a cold worker waits here, after the answer (or before admission, for a customer with a dollar
    /// budget): for its first read of the price overrides (bench: dynamo),
    /// at most <see cref="PriceLoadWait"/> and never into the time the bookkeeping needs before Lambda's deadline;
    /// past that, the record is priced with the rows in force (the shipped table).
    /// </summary>
    private async Task WaitForPricesAsync(RequestContext context)
    {
        Task loaded = _prices.EnsureLoadedAsync();
        if (loaded.IsCompleted)
        {
            return;
        }
        TimeSpan left = BookkeepingBudgetFor(context.HardDeadline, time.GetUtcNow());
        try
        {
            await loaded.WaitAsync(left < PriceLoadWait ? left : PriceLoadWait, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log.Write("warn", "price overrides not read in time; priced with the rows in force", json => json.WriteString("request_id", context.RequestId));
        }
    }

    /// <summary>The record with its cost at the price in force (an estimate when its tokens are); unchanged when nothing was charged or the model has no price.</summary>
    internal static UsageRecord Priced(UsageRecord record, PriceBook prices) =>
        record.Tokens is { } tokens && prices.Find(record.ModelId) is { } price
            ? record with { CostMicroUsd = price.CostMicroUsd(tokens), PriceVersion = price.Version }
            : record;

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
            // OpenAI's code for a spending cap, so its clients tell "over budget" from "slow down".
            Code = decision.LimitName == LimitNames.MonthlyBudget ? "insufficient_quota" : null,
        };
    }
}
