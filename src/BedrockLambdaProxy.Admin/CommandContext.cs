using System.CommandLine;

namespace BedrockLambdaProxy.Admin;

/// <summary>Shared by the command builders: opens a session from a parse result's global options.</summary>
internal sealed class CommandContext(GlobalOptions globals, Func<string, string?> environment, TextWriter output, TimeProvider time)
{
    public TextWriter Output => output;

    public AdminSession Open(ParseResult parse) => new(globals.Resolve(parse, environment), output, time);
}
