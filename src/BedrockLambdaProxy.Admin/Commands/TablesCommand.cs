using System.CommandLine;
using BedrockLambdaProxy.Storage;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary><c>tables create</c>: creates the four tables where missing (local stacks; on AWS template.yaml does it).</summary>
internal static class TablesCommand
{
    public static Command Create(CommandContext context)
    {
        var create = new Command("create", "Create the customers, api-keys, rate-limits and usage tables if missing, and wait until they are active.");
        create.SetAction(async (parse, ct) =>
        {
            using AdminSession session = context.Open(parse);
            TableSetupResult result = await TableDefinitions.EnsureTablesAsync(session.Db, session.Tables, ct);
            foreach (string table in session.Tables.All)
            {
                await session.Output.WriteLineAsync($"{table}: {(result.Created.Contains(table) ? "created" : "exists")}");
            }
            await session.Output.WriteLineAsync(result.RateLimitsTtlEnabled switch
            {
                true => $"{session.Tables.RateLimits}: TTL on '{TableDefinitions.RateLimitsTtlAttribute}' enabled",
                false => $"{session.Tables.RateLimits}: TTL not enabled",
                null => $"{session.Tables.RateLimits}: this server has no TTL API (dynalite); expired counters stay until deleted",
            });
            return ExitCodes.Success;
        });
        var tables = new Command("tables", "Manage the proxy's DynamoDB tables.");
        tables.Subcommands.Add(create);
        return tables;
    }
}
