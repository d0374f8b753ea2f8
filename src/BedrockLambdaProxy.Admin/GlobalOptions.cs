using System.CommandLine;
using BedrockLambdaProxy.Config;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Admin;

/// <summary>
/// Options every command takes. Each falls back to the environment variable the function itself
/// reads (AWS_REGION, DYNAMODB_ENDPOINT, CUSTOMERS_TABLE, …), so one shell setup serves both.
/// </summary>
internal sealed class GlobalOptions
{
    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region (default: $AWS_REGION, else us-east-1).",
        Recursive = true,
    };

    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = "DynamoDB endpoint URL, e.g. http://127.0.0.1:8000 for dynalite (default: $DYNAMODB_ENDPOINT).",
        Recursive = true,
    };

    public Option<string?> TablePrefix { get; } = new("--table-prefix")
    {
        Description = "Names the tables PREFIXcustomers, PREFIXapi-keys, PREFIXrate-limits, PREFIXusage "
            + "(default: $CUSTOMERS_TABLE etc., else bedrock-proxy-…).",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Region);
        root.Options.Add(Endpoint);
        root.Options.Add(TablePrefix);
    }

    /// <summary>The function's settings as the command line and environment describe them.</summary>
    public ProxySettings Resolve(ParseResult parse, Func<string, string?> environment)
    {
        string? region = parse.GetValue(Region);
        string? endpoint = parse.GetValue(Endpoint);
        string? prefix = parse.GetValue(TablePrefix);
        TableNames? prefixed = prefix is null ? null : TableNames.WithPrefix(prefix);
        string? Read(string name) => name switch
        {
            ProxySettings.Names.Region when region is not null => region,
            ProxySettings.Names.DynamoDbEndpoint when endpoint is not null => endpoint,
            ProxySettings.Names.CustomersTable when prefixed is not null => prefixed.Customers,
            ProxySettings.Names.ApiKeysTable when prefixed is not null => prefixed.ApiKeys,
            ProxySettings.Names.RateLimitsTable when prefixed is not null => prefixed.RateLimits,
            ProxySettings.Names.UsageTable when prefixed is not null => prefixed.Usage,
            _ => environment(name),
        };
        try
        {
            return ProxySettings.FromEnvironment(Read);
        }
        catch (InvalidOperationException e)
        {
            throw new AdminException(e.Message, ExitCodes.Usage);
        }
    }
}
