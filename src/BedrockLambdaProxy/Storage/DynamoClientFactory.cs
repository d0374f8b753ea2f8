using System.Net;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using BedrockLambdaProxy.Config;

namespace BedrockLambdaProxy.Storage;

/// <summary>Builds the one low-level DynamoDB client a process uses.</summary>
internal static class DynamoClientFactory
{
    /// <summary>Per-attempt HTTP timeout: a healthy DynamoDB answers in milliseconds.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    /// <summary>Retries after the first attempt; with the timeout this bounds a stuck call to a few seconds.</summary>
    public const int MaxErrorRetry = 2;

    public static AmazonDynamoDBClient Create(ProxySettings settings, AWSCredentials? credentials = null)
    {
        return Create(settings.Region, settings.DynamoDbEndpoint, credentials);
    }

    /// <summary>
    /// A client for <paramref name="region"/>, or for <paramref name="endpoint"/> when given.
    /// Credentials default to the SDK's chain (the Lambda role on AWS); a loopback endpoint
    /// (dynalite) gets fixed dummy credentials because it accepts any signature and a developer
    /// machine may have none configured.
    /// </summary>
    public static AmazonDynamoDBClient Create(string region, Uri? endpoint, AWSCredentials? credentials = null)
    {
        AmazonDynamoDBConfig config = CreateConfig(region, endpoint);
        if (credentials is null && endpoint is not null && IsLoopback(endpoint))
        {
            credentials = new BasicAWSCredentials("local", "local");
        }
        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
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
