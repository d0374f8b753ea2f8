using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;

namespace BedrockLambdaProxy.Config;

/// <summary>
/// Everything the function reads from its environment, in one place. template.yaml sets each of
/// these; a test checks that the two lists agree, so add new variables here and nowhere else.
/// </summary>
internal sealed class ProxySettings
{
    /// <summary>Names of the environment variables the function reads.</summary>
    internal static class Names
    {
        public const string Region = "AWS_REGION";
        public const string BedrockEndpoint = "BEDROCK_ENDPOINT";
        public const string BedrockMaxAttempts = "BEDROCK_MAX_ATTEMPTS";
        public const string CustomersTable = "CUSTOMERS_TABLE";
        public const string ApiKeysTable = "API_KEYS_TABLE";
        public const string RateLimitsTable = "RATE_LIMITS_TABLE";
        public const string UsageTable = "USAGE_TABLE";
        public const string DynamoDbEndpoint = "DYNAMODB_ENDPOINT";
        public const string AuthCacheSeconds = "AUTH_CACHE_SECONDS";
        public const string AuthStaleIfErrorSeconds = "AUTH_STALE_IF_ERROR_SECONDS";
        public const string LimitsFailureMode = "LIMITS_FAILURE_MODE";
        public const string LimitsOverlapBedrock = "LIMITS_OVERLAP_BEDROCK";
        public const string LimitsDefaultMaxTokens = "LIMITS_DEFAULT_MAX_TOKENS";
        public const string PricesExtra = "PRICES_EXTRA";
        public const string MaxRequestBodyBytes = "MAX_REQUEST_BODY_BYTES";
        public const string ApiGatewayTimeoutSeconds = "API_GATEWAY_TIMEOUT_SECONDS";
        public const string FunctionUrlInvokeMode = "FUNCTION_URL_INVOKE_MODE";
        public const string PlaygroundEnabled = "PLAYGROUND_ENABLED";
        public const string BedrockRegions = "BEDROCK_REGIONS";
        public const string BedrockEndpoints = "BEDROCK_ENDPOINTS";
        public const string BedrockRegionFailureThreshold = "BEDROCK_REGION_FAILURE_THRESHOLD";
        public const string BedrockRegionCooldownSeconds = "BEDROCK_REGION_COOLDOWN_SECONDS";
        public const string BedrockStreamStartTimeoutSeconds = "BEDROCK_STREAM_START_TIMEOUT_SECONDS";
        public const string BedrockUnaryTimeoutSeconds = "BEDROCK_UNARY_TIMEOUT_SECONDS";
        public const string MetricsEnabled = "METRICS_ENABLED";
        public const string MetricsNamespace = "METRICS_NAMESPACE";
    }

    public required string Region { get; init; }
    /// <summary>Overrides https://bedrock-runtime.{region}.amazonaws.com (the local simulator).</summary>
    public Uri? BedrockEndpoint { get; init; }
    /// <summary>Attempts per Bedrock call before the first byte, retries included.</summary>
    public int BedrockMaxAttempts { get; init; } = 4;
    public string CustomersTable { get; init; } = "bedrock-proxy-customers";
    public string ApiKeysTable { get; init; } = "bedrock-proxy-api-keys";
    public string RateLimitsTable { get; init; } = "bedrock-proxy-rate-limits";
    public string UsageTable { get; init; } = "bedrock-proxy-usage";
    /// <summary>Overrides the DynamoDB endpoint (dynalite locally).</summary>
    public Uri? DynamoDbEndpoint { get; init; }
    /// <summary>How long a warm function trusts a key it has already looked up.</summary>
    public TimeSpan AuthCacheTtl { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// How long past <see cref="AuthCacheTtl"/> a cached key is still honoured while DynamoDB cannot be
    /// asked; a revocation or suspension waits at most the two together. Zero: never past the TTL.
    /// </summary>
    public TimeSpan AuthStaleIfError { get; init; } = Auth.ApiKeyAuthenticator.DefaultStaleIfError;
    /// <summary>What admission does when DynamoDB cannot be reached: closed (503) or open.</summary>
    public bool LimitsFailOpen { get; init; }
    /// <summary>
    /// Whether a customer well inside its limits has its Bedrock call sent while the admission write is
    /// in flight (answer held until admitted), taking DynamoDB out of the time to first token.
    /// </summary>
    public bool LimitsOverlapBedrock { get; init; } = true;
    /// <summary>Output tokens admission reserves, by model family, for a request that sets no max-tokens field.</summary>
    public OutputTokenDefaults DefaultMaxTokens { get; init; } = OutputTokenDefaults.Default;
    /// <summary>PRICES_EXTRA: price rows added to the shipped table (see <see cref="Pricing.PriceBook.ParseRows"/>).</summary>
    public IReadOnlyList<Pricing.ModelPrice> ExtraPrices { get; init; } = [];
    /// <summary>Request bodies above this get 413. Lambda itself caps synchronous payloads at 6 MB.</summary>
    public int MaxRequestBodyBytes { get; init; } = 5 * 1024 * 1024;
    /// <summary>RESPONSE_STREAM (default, as template.yaml deploys it) or BUFFERED.</summary>
    public bool FunctionUrlStreams { get; init; } = true;
    /// <summary>
    /// The REST API's integration timeout: a buffered API Gateway caller has its 504 after it, so no
    /// retry or failover for such a request is planned past it.
    /// </summary>
    public TimeSpan ApiGatewayTimeout { get; init; } = EventAdapter.DefaultApiGatewayTimeout;
    /// <summary>Serve the browser page at GET /playground (off unless set to true; the local stack turns it on).</summary>
    public bool PlaygroundEnabled { get; init; }
    /// <summary>
    /// Bedrock regions in failover order (BEDROCK_REGIONS, BEDROCK_ENDPOINTS); null means the one
    /// region <see cref="Region"/> at <see cref="BedrockEndpoint"/> or its public endpoint.
    /// </summary>
    public IReadOnlyList<BedrockRegion>? BedrockRegions { get; init; }
    /// <summary>Consecutive transient failures after which a region is skipped for <see cref="BedrockRegionCooldown"/>.</summary>
    public int BedrockRegionFailureThreshold { get; init; } = 3;
    /// <summary>How long a failing region is skipped before one request probes it again.</summary>
    public TimeSpan BedrockRegionCooldown { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How long one attempt of a streaming call may wait for Bedrock's response to start (its status
    /// and headers) before it counts as a timeout and moves on like any transient failure. By default
    /// an equal share of the time left while another region could take the call.
    /// </summary>
    public AttemptStartLimit BedrockStreamStartLimit { get; init; } = AttemptStartLimit.FairShare;
    /// <summary>
    /// The same for a unary call, whose response starts only when the whole answer is generated, so
    /// any limit is a limit on the answer's length: none unless the operator sets one.
    /// </summary>
    public AttemptStartLimit BedrockUnaryStartLimit { get; init; } = AttemptStartLimit.None;
    /// <summary>Whether each request writes an Embedded Metric Format line (CloudWatch metrics from the log).</summary>
    public bool MetricsEnabled { get; init; } = true;
    /// <summary>The CloudWatch namespace of those metrics.</summary>
    public string MetricsNamespace { get; init; } = "BedrockLambdaProxy";

    /// <summary>The regions to call, in failover order, each with its endpoint.</summary>
    public IReadOnlyList<BedrockRegion> ResolvedBedrockRegions() =>
        BedrockRegions ?? [new BedrockRegion(Region, BedrockEndpoint ?? BedrockRegionList.PublicEndpoint(Region))];

    /// <summary>Reads the settings; a malformed value fails start-up (reported to /init/error).</summary>
    public static ProxySettings FromEnvironment(Func<string, string?> read)
    {
        string home = read(Names.Region) is { Length: > 0 } region ? region : "us-east-1";
        Uri? endpoint = OptionalUri(read, Names.BedrockEndpoint);
        return new ProxySettings
        {
            Region = home,
            BedrockEndpoint = endpoint,
            BedrockRegions = BedrockRegionList.Parse(home, endpoint, read(Names.BedrockRegions), read(Names.BedrockEndpoints)),
            BedrockRegionFailureThreshold = OptionalInt(read, Names.BedrockRegionFailureThreshold, 3, min: 1, max: 100),
            BedrockRegionCooldown = TimeSpan.FromSeconds(OptionalInt(read, Names.BedrockRegionCooldownSeconds, 30, min: 1, max: 3600)),
            BedrockStreamStartLimit = AttemptStartLimit.Parse(
                Names.BedrockStreamStartTimeoutSeconds, read(Names.BedrockStreamStartTimeoutSeconds), AttemptStartLimit.FairShare),
            BedrockUnaryStartLimit = AttemptStartLimit.Parse(
                Names.BedrockUnaryTimeoutSeconds, read(Names.BedrockUnaryTimeoutSeconds), AttemptStartLimit.None),
            MetricsEnabled = OneOf(read, Names.MetricsEnabled, "true", "false") == "true",
            MetricsNamespace = read(Names.MetricsNamespace) is { Length: > 0 } ns ? ns : "BedrockLambdaProxy",
            BedrockMaxAttempts = OptionalInt(read, Names.BedrockMaxAttempts, 4, min: 1, max: 10),
            CustomersTable = read(Names.CustomersTable) ?? "bedrock-proxy-customers",
            ApiKeysTable = read(Names.ApiKeysTable) ?? "bedrock-proxy-api-keys",
            RateLimitsTable = read(Names.RateLimitsTable) ?? "bedrock-proxy-rate-limits",
            UsageTable = read(Names.UsageTable) ?? "bedrock-proxy-usage",
            DynamoDbEndpoint = OptionalUri(read, Names.DynamoDbEndpoint),
            AuthCacheTtl = TimeSpan.FromSeconds(OptionalInt(read, Names.AuthCacheSeconds, 60, min: 0, max: 3600)),
            AuthStaleIfError = TimeSpan.FromSeconds(OptionalInt(
                read, Names.AuthStaleIfErrorSeconds, (int)Auth.ApiKeyAuthenticator.DefaultStaleIfError.TotalSeconds, min: 0, max: 3600)),
            LimitsFailOpen = OneOf(read, Names.LimitsFailureMode, "closed", "open") == "open",
            LimitsOverlapBedrock = OneOf(read, Names.LimitsOverlapBedrock, "true", "false") == "true",
            DefaultMaxTokens = OutputTokenDefaults.Parse(read(Names.LimitsDefaultMaxTokens), Names.LimitsDefaultMaxTokens),
            ExtraPrices = Pricing.PriceBook.ParseRows(read(Names.PricesExtra)),
            MaxRequestBodyBytes = OptionalInt(read, Names.MaxRequestBodyBytes, 5 * 1024 * 1024, min: 1024, max: 6 * 1024 * 1024),
            ApiGatewayTimeout = TimeSpan.FromSeconds(OptionalInt(read, Names.ApiGatewayTimeoutSeconds, (int)EventAdapter.DefaultApiGatewayTimeout.TotalSeconds, min: 1, max: 900)),
            FunctionUrlStreams = OneOf(read, Names.FunctionUrlInvokeMode, "RESPONSE_STREAM", "BUFFERED") == "RESPONSE_STREAM",
            PlaygroundEnabled = OneOf(read, Names.PlaygroundEnabled, "false", "true") == "true",
        };
    }

    private static Uri? OptionalUri(Func<string, string?> read, string name)
    {
        string? value = read(name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new InvalidOperationException($"{name} must be an absolute URL, got '{value}'.");
    }

    private static int OptionalInt(Func<string, string?> read, string name, int fallback, int min, int max)
    {
        string? value = read(name);
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }
        return int.TryParse(value, out int parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new InvalidOperationException($"{name} must be a whole number from {min} to {max}, got '{value}'.");
    }

    private static string OneOf(Func<string, string?> read, string name, string fallback, string other)
    {
        string? value = read(name);
        if (string.IsNullOrEmpty(value) || string.Equals(value, fallback, StringComparison.OrdinalIgnoreCase))
        {
            return fallback;
        }
        return string.Equals(value, other, StringComparison.OrdinalIgnoreCase)
            ? other
            : throw new InvalidOperationException($"{name} must be '{fallback}' or '{other}', got '{value}'.");
    }
}
