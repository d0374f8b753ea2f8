using System.CommandLine;
using System.Net.Sockets;
using Amazon.Runtime;
using BedrockLambdaProxy.Admin.Commands;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.Admin;

/// <summary>
/// The admin tool's command tree and error handling, callable in-process (tests) as well as from
/// <see cref="Program"/>. Errors print one "error: …" line to the error writer and map to <see cref="ExitCodes"/>.
/// </summary>
internal static class AdminCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error,
        Func<string, string?>? environment = null, CancellationToken ct = default, TimeProvider? time = null)
    {
        var globals = new GlobalOptions();
        var context = new CommandContext(globals, environment ?? Environment.GetEnvironmentVariable, output, time ?? TimeProvider.System);
        var root = new RootCommand("Operate a BedrockLambdaProxy deployment: tables, customers, API keys, usage reports and prices.");
        globals.AddTo(root);
        root.Subcommands.Add(TablesCommand.Create(context));
        root.Subcommands.Add(CustomersCommand.Create(context));
        root.Subcommands.Add(KeysCommand.Create(context));
        root.Subcommands.Add(UsageCommand.Create(context));
        root.Subcommands.Add(PricesCommand.Create(context));

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parse.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message);
            }
            await error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(invocation, ct);
        }
        catch (AdminException e)
        {
            return await FailAsync(error, e.Message, e.ExitCode);
        }
        catch (KeyManagementException e)
        {
            return await FailAsync(error, e.Message, ExitCodes.Failed);
        }
        catch (AmazonServiceException e)
        {
            // The service's own message names the table or condition; it never contains key material.
            return await FailAsync(error, $"DynamoDB refused the request: {e.ErrorCode}: {e.Message}", ExitCodes.Unavailable);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or SocketException or IOException or TimeoutException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return await FailAsync(error, $"cannot reach DynamoDB ({e.GetType().Name}: {e.Message})", ExitCodes.Unavailable);
        }
    }

    private static async Task<int> FailAsync(TextWriter error, string message, int exitCode)
    {
        await error.WriteLineAsync("error: " + message);
        return exitCode;
    }
}
