using System.Net;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Signing;
using BedrockLambdaProxy.Storage.Lean;

namespace BedrockLambdaProxy.Storage;

/// <summary>Builds the one low-level DynamoDB client a process uses.</summary>
internal static class DynamoClientFactory
{
    /// <summary>Per-attempt HTTP timeout: a healthy DynamoDB answers in milliseconds.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    /// <summary>Retries after the first attempt; with the timeout this bounds a stuck call to a few seconds.</summary>
    public const int MaxErrorRetry = 2;
    private const string SigningService = "dynamodb";

    public static AmazonDynamoDBClient Create(ProxySettings settings, AWSCredentials? credentials = null)
    {
        return Create(settings.Region, settings.DynamoDbEndpoint, credentials);
    }

    /// <summary>
    /// A client for <paramref name="region"/>, or for <paramref name="endpoint"/> when given, whose request-path
    /// operations go through the lean transport (<see cref="LeanDynamoClient"/>). Credentials default to the SDK's
    /// chain, resolved on first use (the Lambda role's environment variables on AWS); a loopback endpoint
    /// (dynalite) gets fixed dummy credentials because it accepts any signature and a developer machine may have
    /// none configured.
    /// </summary>
    public static AmazonDynamoDBClient Create(string region, Uri? endpoint, AWSCredentials? credentials = null)
    {
        if (credentials is null && endpoint is not null && IsLoopback(endpoint))
        {
            credentials = new BasicAWSCredentials("local", "local");
        }
        credentials ??= new DefaultChainCredentials();
        AmazonDynamoDBConfig config = CreateConfig(region, endpoint);
        Uri? target = endpoint ?? RegionalEndpoint(region);
        if (target is null)
        {
            // An isolated partition (us-iso-*, …) has endpoints of its own that only the SDK knows.
            return new AmazonDynamoDBClient(credentials, config);
        }
        return CreateLean(region, target, credentials, config, AwsConnectionPool.Create(connectTimeout: AttemptTimeout));
    }

    /// <summary>The lean client over <paramref name="transport"/> (tests pass a recording handler, a fixed clock, random and delay).</summary>
    internal static LeanDynamoClient CreateLean(
        string region,
        Uri endpoint,
        AWSCredentials credentials,
        AmazonDynamoDBConfig config,
        HttpMessageHandler transport,
        TimeProvider? time = null,
        Func<double>? random = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        var signer = new SigV4Signer(credentials, region, SigningService, time ?? TimeProvider.System);
        return new LeanDynamoClient(credentials, config, new DynamoTransport(endpoint, transport, signer, AttemptTimeout, MaxErrorRetry, random, delay));
    }

    /// <summary>DynamoDB's endpoint in <paramref name="region"/> for the aws, aws-cn and aws-us-gov partitions; null for others.</summary>
    internal static Uri? RegionalEndpoint(string region)
    {
        if (region.StartsWith("cn-", StringComparison.Ordinal))
        {
            return new Uri($"https://dynamodb.{region}.amazonaws.com.cn/");
        }
        return region.Contains("-iso", StringComparison.Ordinal) ? null : new Uri($"https://dynamodb.{region}.amazonaws.com/");
    }

    /// <summary>The client configuration: region or endpoint, short timeout, few retries.</summary>
    public static AmazonDynamoDBConfig CreateConfig(string region, Uri? endpoint)
    {
        var config = new AmazonDynamoDBConfig
        {
            Timeout = AttemptTimeout,
            MaxErrorRetry = MaxErrorRetry,
            RetryMode = RequestRetryMode.Standard,
        };
        if (endpoint is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        return config;
    }

    private static bool IsLoopback(Uri endpoint)
    {
        return endpoint.IsLoopback
            || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}
