using BedrockLambdaProxy.LocalHost.Cli;

namespace BedrockLambdaProxy.IntegrationTests.Foundation;

/// <summary>The LocalHost command line that scripts/start-local.sh and bench/cold-start.sh use.</summary>
public sealed class CliArgumentsTests
{
    [Fact]
    public void Parse_AllOptions_AreRead()
    {
        var parsed = CliArguments.Parse(
            ["--bootstrap", "b", "--workers", "3", "--function-url-port", "0", "--api-port", "7", "--env", "A=1=2", "--env", "B=", "--cold-start-runs", "4"],
            out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal("b", parsed.BootstrapPath);
        Assert.Equal(3, parsed.Workers);
        Assert.Equal(0, parsed.FunctionUrlPort);
        Assert.Equal(7, parsed.ApiPort);
        Assert.Equal("1=2", parsed.Environment["A"]);
        Assert.Equal(string.Empty, parsed.Environment["B"]);
        Assert.Equal(4, parsed.ColdStartRuns);
    }

    [Fact]
    public void Parse_Defaults_ServeOn9000And9001WithTwoWorkers()
    {
        var parsed = CliArguments.Parse(["--bootstrap", "b"], out _);

        Assert.NotNull(parsed);
        Assert.Equal(9000, parsed.FunctionUrlPort);
        Assert.Equal(9001, parsed.ApiPort);
        Assert.Equal(2, parsed.Workers);
        Assert.Null(parsed.ColdStartRuns);
    }

    [Theory]
    [InlineData(new[] { "--workers", "2" }, "--bootstrap is required")]
    [InlineData(new[] { "--bootstrap", "b", "--workers", "two" }, "--workers expects a non-negative number, got 'two'")]
    [InlineData(new[] { "--bootstrap", "b", "--env", "NOVALUE" }, "--env expects KEY=VALUE, got 'NOVALUE'")]
    [InlineData(new[] { "--bootstrap", "b", "--verbose", "x" }, "unknown option --verbose")]
    [InlineData(new[] { "--bootstrap" }, "--bootstrap needs a value")]
    public void Parse_BadArguments_ReturnNullWithReason(string[] args, string expected)
    {
        var parsed = CliArguments.Parse(args, out var error);

        Assert.Null(parsed);
        Assert.Equal(expected, error);
    }
}
