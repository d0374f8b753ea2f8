using BedrockLambdaProxy.Runtime;

namespace BedrockLambdaProxy.Tests.Runtime;

public sealed class InlineSocketCompletionsTests
{
    [Fact]
    public void PreferInlineSocketCompletions_KeysInTheEnvironment_TurnsThemOn()
    {
        Dictionary<string, string> environment = Apply(("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "secret"));

        Assert.Equal("1", environment[LambdaBootstrap.InlineSocketCompletionsVariable]);
    }

    [Theory]
    [InlineData(null, "secret")]
    [InlineData("AKID", null)]
    [InlineData(null, null)]
    public void PreferInlineSocketCompletions_CredentialsFromElsewhere_LeftOff(string? keyId, string? secret)
    {
        // Profiles, container and instance credentials can block on HTTP: not on the event thread.
        Dictionary<string, string> environment = Apply(("AWS_ACCESS_KEY_ID", keyId), ("AWS_SECRET_ACCESS_KEY", secret));

        Assert.False(environment.ContainsKey(LambdaBootstrap.InlineSocketCompletionsVariable));
    }

    [Fact]
    public void PreferInlineSocketCompletions_OperatorChose_Kept()
    {
        Dictionary<string, string> environment = Apply(
            ("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "secret"), (LambdaBootstrap.InlineSocketCompletionsVariable, "0"));

        Assert.Equal("0", environment[LambdaBootstrap.InlineSocketCompletionsVariable]);
    }

    private static Dictionary<string, string> Apply(params (string Name, string? Value)[] values)
    {
        var environment = values.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!);
        LambdaBootstrap.PreferInlineSocketCompletions(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value);
        return environment;
    }
}
