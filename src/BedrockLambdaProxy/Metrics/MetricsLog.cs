using System.Text.Json;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy.Metrics;

/// <summary>
/// Writes one CloudWatch Embedded Metric Format (EMF) line per request on stdout, next to the usage
/// line: CloudWatch Logs turns it into metrics, so there is no PutMetricData call and nothing waits
/// for one. Lambda's Text log format passes the line through unchanged, which EMF requires.
/// </summary>
/// <remarks>
/// Dimension sets, all on every line that has the members they name: CustomerId × ModelId (what a
/// customer used and suffered), ModelId, BedrockRegion (failover at a glance), and the empty set
/// (service-wide totals, the ones the alarms watch). Cardinality is customers × models × metrics;
/// every combination seen in an hour is a billed custom metric, which is why the per-customer set
/// is the only one that grows with customers.
/// Only values the operator controls become dimensions: customer ids (created by the operator),
/// regions (the configured list), and model ids Bedrock has served for the request. A model id a
/// caller invents (refused by the proxy, or unknown to Bedrock) is counted as <see cref="UnservedModel"/>,
/// so random model ids add one dimension value in all, not one each.
/// </remarks>
internal sealed class MetricsLog(JsonLog log, string metricsNamespace, TimeProvider time)
{
    public const string Requests = "Requests";
    public const string ClientErrors = "ClientErrors";
    public const string BedrockErrors = "BedrockErrors";
    public const string ProxyErrors = "ProxyErrors";
    public const string CustomerThrottles = "CustomerThrottles";
    public const string BedrockThrottles = "BedrockThrottles";
    public const string Failovers = "BedrockFailovers";
    public const string Latency = "Latency";
    public const string TimeToFirstToken = "TimeToFirstToken";
    public const string InputTokens = "InputTokens";
    public const string OutputTokens = "OutputTokens";
    public const string CacheReadInputTokens = "CacheReadInputTokens";
    public const string CacheWriteInputTokens = "CacheWriteInputTokens";
    /// <summary>The request's cost in US dollars at the price in force (docs/COST.md); on lines with tokens and a price.</summary>
    public const string CostUsd = "CostUsd";
    /// <summary>1 for a request that used tokens of a model with no price (so it has no cost), 0 for other requests with tokens.</summary>
    public const string UnpricedRequests = "UnpricedRequests";

    public const string CustomerDimension = "CustomerId";
    public const string ModelDimension = "ModelId";
    public const string RegionDimension = "BedrockRegion";

    /// <summary>
    /// The ModelId value of every request whose model Bedrock did not serve: refusals (authentication,
    /// validation, admission, allow-list), unknown models and every other failure before Bedrock answered.
    /// Parentheses cannot start a Bedrock model id, so it never collides with one.
    /// </summary>
    public const string UnservedModel = "(unserved)";

    /// <summary>CloudWatch refuses dimension values longer than this; ids are far shorter, but a line CloudWatch rejects loses every metric in it.</summary>
    private const int MaxDimensionValueLength = 1024;

    public void Write(RequestMetrics metrics)
    {
        string? customer = DimensionValue(metrics.CustomerId);
        string? model = ModelDimensionValue(metrics, customer);
        string? region = DimensionValue(metrics.BedrockRegion);
        TokenUsage? tokens = metrics.Tokens;
        log.Write("info", "request metrics", json =>
        {
            json.WriteString("request_id", metrics.RequestId);
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", metricsNamespace);
            json.WriteStartArray("Dimensions");
            if (customer is not null && model is not null)
            {
                DimensionSet(json, CustomerDimension, ModelDimension);
            }
            if (model is not null)
            {
                DimensionSet(json, ModelDimension);
            }
            if (region is not null)
            {
                DimensionSet(json, RegionDimension);
            }
            DimensionSet(json);
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            Definition(json, Requests, "Count");
            Definition(json, ClientErrors, "Count");
            Definition(json, BedrockErrors, "Count");
            Definition(json, ProxyErrors, "Count");
            Definition(json, CustomerThrottles, "Count");
            Definition(json, BedrockThrottles, "Count");
            Definition(json, Failovers, "Count");
            Definition(json, Latency, "Milliseconds");
            if (metrics.TimeToFirstTokenMs is not null)
            {
                Definition(json, TimeToFirstToken, "Milliseconds");
            }
            if (tokens is not null)
            {
                Definition(json, InputTokens, "Count");
                Definition(json, OutputTokens, "Count");
                Definition(json, CacheReadInputTokens, "Count");
                Definition(json, CacheWriteInputTokens, "Count");
                Definition(json, UnpricedRequests, "Count");
                if (metrics.CostMicroUsd is not null)
                {
                    Definition(json, CostUsd, "None");
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            // Target members: dimension values (strings) and metric values (numbers) on the root.
            if (customer is not null)
            {
                json.WriteString(CustomerDimension, customer);
            }
            if (model is not null)
            {
                json.WriteString(ModelDimension, model);
            }
            if (region is not null)
            {
                json.WriteString(RegionDimension, region);
            }
            json.WriteNumber(Requests, 1);
            json.WriteNumber(ClientErrors, metrics.Error == ErrorClass.Client ? 1 : 0);
            json.WriteNumber(BedrockErrors, metrics.Error == ErrorClass.Bedrock ? 1 : 0);
            json.WriteNumber(ProxyErrors, metrics.Error == ErrorClass.Proxy ? 1 : 0);
            json.WriteNumber(CustomerThrottles, metrics.Throttle == ThrottleSource.Customer ? 1 : 0);
            json.WriteNumber(BedrockThrottles, metrics.Throttle == ThrottleSource.Bedrock ? 1 : 0);
            json.WriteNumber(Failovers, metrics.Failovers);
            json.WriteNumber(Latency, Math.Round(metrics.LatencyMs, 1));
            if (metrics.TimeToFirstTokenMs is double ttft)
            {
                json.WriteNumber(TimeToFirstToken, Math.Round(ttft, 1));
            }
            if (tokens is not null)
            {
                json.WriteNumber(InputTokens, tokens.InputTokens);
                json.WriteNumber(OutputTokens, tokens.OutputTokens);
                json.WriteNumber(CacheReadInputTokens, tokens.CacheReadInputTokens);
                json.WriteNumber(CacheWriteInputTokens, tokens.CacheWriteInputTokens);
                json.WriteNumber(UnpricedRequests, metrics.CostMicroUsd is null ? 1 : 0);
                if (metrics.CostMicroUsd is long cost)
                {
                    // Exact: micro-dollars as a decimal, so CloudWatch sums to the cent of the usage records.
                    json.WriteNumber(CostUsd, cost / 1_000_000m);
                }
            }
            json.WriteNumber("status", metrics.HttpStatus);
        });
    }

    /// <summary>The line of a request answered without calling Bedrock: no tokens, no region, no first token.</summary>
    public void WriteRefusal(
        string requestId, int status, ErrorClass error, double latencyMs,
        string? customerId = null, string? modelId = null, ThrottleSource throttle = ThrottleSource.None) =>
        Write(new RequestMetrics
        {
            RequestId = requestId,
            CustomerId = customerId,
            ModelId = modelId,
            HttpStatus = status,
            Error = error,
            Throttle = throttle,
            LatencyMs = latencyMs,
        });

    /// <summary>The served model's id; <see cref="UnservedModel"/> when the request named a model or a customer but Bedrock served none; null otherwise.</summary>
    private static string? ModelDimensionValue(RequestMetrics metrics, string? customer) =>
        metrics.ModelServed && DimensionValue(metrics.ModelId) is { } served
            ? served
            : customer is null && string.IsNullOrEmpty(metrics.ModelId) ? null : UnservedModel;

    private static string? DimensionValue(string? value) =>
        string.IsNullOrEmpty(value) ? null : value.Length > MaxDimensionValueLength ? value[..MaxDimensionValueLength] : value;

    private static void DimensionSet(Utf8JsonWriter json, params ReadOnlySpan<string> keys)
    {
        json.WriteStartArray();
        foreach (string key in keys)
        {
            json.WriteStringValue(key);
        }
        json.WriteEndArray();
    }

    private static void Definition(Utf8JsonWriter json, string name, string unit)
    {
        json.WriteStartObject();
        json.WriteString("Name", name);
        json.WriteString("Unit", unit);
        json.WriteEndObject();
    }
}
