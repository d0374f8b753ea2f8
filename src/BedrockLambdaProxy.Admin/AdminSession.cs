using Amazon.DynamoDBv2;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Admin;

/// <summary>What one command needs: the DynamoDB client, table names, stores and where to write.</summary>
internal sealed class AdminSession : IDisposable
{
    private readonly AmazonDynamoDBClient _client;

    public AdminSession(ProxySettings settings, TextWriter output, TimeProvider time)
    {
        Settings = settings;
        Output = output;
        Time = time;
        Tables = TableNames.FromSettings(settings);
        _client = DynamoClientFactory.Create(settings);
        Customers = new CustomerStore(_client, Tables);
        Keys = new ApiKeyStore(_client, Tables);
        Issuer = new ApiKeyIssuer(Keys, Customers, time);
    }

    public ProxySettings Settings { get; }
    public TextWriter Output { get; }
    public TimeProvider Time { get; }
    public TableNames Tables { get; }
    public IAmazonDynamoDB Db => _client;
    public CustomerStore Customers { get; }
    public ApiKeyStore Keys { get; }
    public ApiKeyIssuer Issuer { get; }

    /// <summary>Where DynamoDB is, for error messages.</summary>
    public string Target => Settings.DynamoDbEndpoint?.ToString() ?? $"DynamoDB in {Settings.Region}";

    public void Dispose() => _client.Dispose();
}
