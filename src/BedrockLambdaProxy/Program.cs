using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Playground;
using BedrockLambdaProxy.Metrics;
using BedrockLambdaProxy.Pricing;
using BedrockLambdaProxy.Routing;
using BedrockLambdaProxy.Runtime;
using BedrockLambdaProxy.Storage;
using BedrockLambdaProxy.Surfaces;
using BedrockLambdaProxy.Usage;

namespace BedrockLambdaProxy;

/// <summary>The composition root: reads settings, builds the pipeline, runs the invocation loop.</summary>
internal static class Program
{
    /// <summary>
    /// How long before Lambda's deadline a request's token fires. The answer (or the stream's
    /// error ending, milliseconds) must leave, and then the usage record must be written, before
    /// Lambda stops the sandbox: work cut off by the timeout would be an unbilled request. The
    /// bookkeeping gets what is left of these 2 s less <see cref="ProxyPipeline.BookkeepingSafetyGap"/>
    /// (<see cref="ProxyPipeline.BookkeepingBudgetFor"/>): two DynamoDB writes on a healthy table,
    /// else the replayable unwritten line. LambdaBootstrap's 500 ms default is for handlers that
    /// keep no books after answering.
    /// </summary>
    internal static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(2);

    private static async Task<int> Main()
    {
        LambdaBootstrap.PreferInlineSocketCompletions(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);
        string? runtimeApi = Environment.GetEnvironmentVariable(LambdaBootstrap.RuntimeApiVariable);
        if (string.IsNullOrEmpty(runtimeApi))
        {
            await Console.Error.WriteLineAsync(
                $"{LambdaBootstrap.RuntimeApiVariable} is not set: this executable is a Lambda function. "
                + "Run it under Lambda or the local stack (scripts/start-local.sh).").ConfigureAwait(false);
            return 2;
        }
        using var stop = new CancellationTokenSource();
        // Lambda sends SIGTERM before shutting a sandbox down; finish the loop quietly.
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        return await LambdaBootstrap.RunAsync(runtimeApi, CreateFunction, TimeProvider.System, DeadlineMargin, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Builds the handler; a bad setting throws here and is reported to /init/error.</summary>
    internal static IInvocationHandler CreateFunction()
    {
        ProxySettings settings = ProxySettings.FromEnvironment(Environment.GetEnvironmentVariable);
        TimeProvider time = TimeProvider.System;
        JsonLog log = JsonLog.Console;

        BedrockClient bedrock = BedrockClient.Create(settings, time, log);
        // The DynamoDB client is built on first use, so /health and cold starts do not pay for
        // the SDK's configuration loading; credentials are resolved lazily by the SDK anyway.
        // Building it (and the pipeline) on a pool thread during init was tried (issue 25): the first
        // GET /next then waited for that thread (spawn → /next 6.7 → 12.2 ms median, coldfirstbyte),
        // so /health paid for it, and with one vCPU or less there is no second core to hide it on.
        var dynamo = new Lazy<Amazon.DynamoDBv2.IAmazonDynamoDB>(() => DynamoClientFactory.Create(settings));
        MetricsLog? metrics = settings.MetricsEnabled ? new MetricsLog(log, settings.MetricsNamespace, time) : null;
        var pipeline = new Lazy<ProxyPipeline>(() => CreatePipeline(settings, dynamo.Value, time, log, metrics));

        var surfaces = new SurfaceSet(
            bedrock, time, Surfaces.Anthropic.AnthropicSettings.FromEnvironment(Environment.GetEnvironmentVariable, settings.Region), log);
        // The page is read and hashed on its first request, so cold starts do not pay for it.
        var playground = new Lazy<PlaygroundPage>(PlaygroundPage.Load);
        var usage = new Lazy<UsageEndpoint>(() => new UsageEndpoint(
            new UsageReportReader(dynamo.Value, settings.UsageTable, settings.RateLimitsTable), time));
        IReadOnlyList<Route> routes = RouteTable.Build(
            surface => context => pipeline.Value.RunAsync(context, surface),
            (style, handler) => context => pipeline.Value.RunForCustomerAsync(context, style, handler),
            surfaces,
            settings.PlaygroundEnabled ? context => playground.Value.HandleAsync(context) : null,
            (context, customer) => usage.Value.HandleAsync(context, customer));
        return new ProxyFunction(new EventAdapter(settings.FunctionUrlStreams, settings.ApiGatewayTimeout), new Router(routes), settings.MaxRequestBodyBytes, time, log, metrics);
    }

    /// <summary>
    /// The authenticated pipeline, built on the first request that needs it. The price overrides are first read
    /// when the first record is priced, after its answer: a cold worker's time to the first byte does not pay for them.
    /// </summary>
    private static ProxyPipeline CreatePipeline(
        ProxySettings settings, Amazon.DynamoDBv2.IAmazonDynamoDB dynamo, TimeProvider time, JsonLog log, MetricsLog? metrics)
    {
        var prices = new PriceBook(
            [.. ShippedPrices.Rows, .. settings.ExtraPrices], new PriceStore(dynamo, settings.RateLimitsTable), settings.AuthCacheTtl, time, log);
        var admission = new Admission(dynamo, settings.RateLimitsTable, time, settings.LimitsFailOpen);
        return new ProxyPipeline(
            // A cold key's customer is read with its counter item: two round trips before Bedrock on a fresh instance.
            new ApiKeyAuthenticator(dynamo, settings, time, admission),
            admission,
            new UsageRecorder(dynamo, settings.UsageTable, settings.RateLimitsTable, time),
            new UsageLog(log),
            log,
            time,
            metrics,
            settings.LimitsOverlapBedrock,
            new ConcurrencySlots(dynamo, settings.RateLimitsTable, time),
            settings.DefaultMaxTokens,
            prices);
    }
}
