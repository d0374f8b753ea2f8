using BedrockLambdaProxy.Admin;
using BedrockLambdaProxy.IntegrationTests.Dynamo;

namespace BedrockLambdaProxy.IntegrationTests.Admin;

/// <summary>Runs the admin tool in-process against a dynalite fixture and keeps every output for secret checks.</summary>
internal sealed class AdminCliRunner(DynaliteFixture dynamo)
{
    private readonly List<string> _outputs = [];

    /// <summary>Everything every command printed, one-time key prints excluded.</summary>
    public IReadOnlyList<string> OrdinaryOutputs => _outputs;

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(oneTimeKeyPrint: false, args);

    /// <summary>For issue/rotate: their stdout is the one place a key may appear, so it is not kept.</summary>
    public Task<CliResult> RunIssuingAsync(params string[] args) => RunAsync(oneTimeKeyPrint: true, args);

    private async Task<CliResult> RunAsync(bool oneTimeKeyPrint, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] all = [.. args, "--endpoint", dynamo.Endpoint.ToString()];
        // An empty environment: the machine's AWS_REGION or *_TABLE variables must not leak in.
        int exit = await AdminCli.RunAsync(all, output, error, _ => null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));
        var result = new CliResult(exit, output.ToString(), error.ToString());
        if (!oneTimeKeyPrint)
        {
            _outputs.Add(result.Output);
        }
        _outputs.Add(result.Error);
        return result;
    }
}

/// <summary>Exit code and captured writers of one admin command.</summary>
internal sealed record CliResult(int Exit, string Output, string Error);
