using System.Text.Json;
using BedrockLambdaProxy.Admin;
using BedrockLambdaProxy.Auth;

namespace BedrockLambdaProxy.IntegrationTests.Admin;

/// <summary>A key's own limits through the admin tool: keys issue / update / list / rotate, and the authenticator.</summary>
public sealed partial class AdminCliTests
{
    [Fact]
    public async Task KeysIssueAndUpdate_OwnLimits_RoundTripThroughListRotateAndAuthentication()
    {
        string customerId = await CreateCustomerAsync();

        CliResult issued = await _cli.RunIssuingAsync("keys", "issue", customerId, "--rpm", "5", "--monthly-budget-usd", "1.5", "--max-concurrent", "2");
        (string key, string keyId) = ParseIssued(issued.Output);
        CliResult table = await _cli.RunAsync("keys", "list", customerId);
        JsonElement listed = await ListedKeyAsync(customerId, keyId);
        AuthResult auth = await NewAuthenticator().AuthenticateAsync("Bearer " + key, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, issued.Exit);
        Assert.Contains("Limits:   rpm=5 max-concurrent=2 monthly-budget-usd=1.50", issued.Output, StringComparison.Ordinal);
        Assert.Contains("rpm=5 max-concurrent=2 monthly-budget-usd=1.50", table.Output, StringComparison.Ordinal);
        Assert.Equal(5, listed.GetProperty("limits").GetProperty(CustomerLimitAttributes.RequestsPerMinute).GetInt64());
        Assert.Equal(1_500_000, listed.GetProperty("limits").GetProperty(CustomerLimitAttributes.MonthlyBudgetMicroUsd).GetInt64());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("limits").GetProperty(CustomerLimitAttributes.TokensPerMinute).ValueKind);
        Assert.Equal(new CustomerLimits(5, null, null, null) { MaxConcurrent = 2, MonthlyBudgetMicroUsd = 1_500_000 }, auth.Customer!.KeyLimits);
        // The customer's own limits are untouched by the key's.
        Assert.Equal(CustomerLimits.None, auth.Customer.Limits);

        CliResult changed = await _cli.RunAsync("keys", "update", keyId, "--tpm", "1000", "--unlimited", "rpm");
        JsonElement afterChange = await ListedKeyAsync(customerId, keyId);
        Assert.Equal(ExitCodes.Success, changed.Exit);
        Assert.Contains($"Limits of key {keyId} updated", changed.Output, StringComparison.Ordinal);
        Assert.Contains("tokens/min:     1,000", changed.Output, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, afterChange.GetProperty("limits").GetProperty(CustomerLimitAttributes.RequestsPerMinute).ValueKind);
        Assert.Equal(1000, afterChange.GetProperty("limits").GetProperty(CustomerLimitAttributes.TokensPerMinute).GetInt64());
        Assert.Equal(2, afterChange.GetProperty("limits").GetProperty(CustomerLimitAttributes.MaxConcurrent).GetInt64());

        // A rotated key keeps its limits: the replacement is the same developer's key.
        CliResult rotated = await _cli.RunIssuingAsync("keys", "rotate", keyId, "--format", "json");
        using (JsonDocument rotation = JsonDocument.Parse(rotated.Output))
        {
            Assert.Equal(1000, rotation.RootElement.GetProperty("limits").GetProperty(CustomerLimitAttributes.TokensPerMinute).GetInt64());
        }

        CliResult cleared = await _cli.RunAsync("keys", "update", keyId, "--unlimited", "tpm,max-concurrent,monthly-budget-usd", "--format", "json");
        JsonElement afterClear = await ListedKeyAsync(customerId, keyId);
        Assert.Equal(ExitCodes.Success, cleared.Exit);
        Assert.Equal(JsonValueKind.Null, afterClear.GetProperty("limits").ValueKind);
        Assert.Null((await NewAuthenticator().AuthenticateAsync("Bearer " + key, CancellationToken.None)).Customer!.KeyLimits);
        AssertNoSecrets(key);
    }

    [Fact]
    public async Task KeysIssue_NoLimitOptions_KeyHasNoLimitsOfItsOwn()
    {
        string customerId = await CreateCustomerAsync();

        (string key, string keyId) = ParseIssued((await _cli.RunIssuingAsync("keys", "issue", customerId)).Output);

        Assert.Equal(JsonValueKind.Null, (await ListedKeyAsync(customerId, keyId)).GetProperty("limits").ValueKind);
        Assert.Null((await NewAuthenticator().AuthenticateAsync("Bearer " + key, CancellationToken.None)).Customer!.KeyLimits);
        Assert.Contains("customer's", (await _cli.RunAsync("keys", "list", customerId)).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExitCodes.Usage, "keys", "issue", "cus_x", "--rpm", "0")]
    [InlineData(ExitCodes.Usage, "keys", "issue", "cus_x", "--monthly-budget-usd", "0.0000001")]
    [InlineData(ExitCodes.Usage, "keys", "issue", "cus_x", "--max-concurrent", "1001")]
    [InlineData(ExitCodes.Usage, "keys", "update", "bk_00000000")]
    [InlineData(ExitCodes.Usage, "keys", "update", "bk_00000000", "--rpm", "2", "--unlimited", "rpm")]
    [InlineData(ExitCodes.Usage, "keys", "update", "bk_00000000", "--unlimited", "rpx")]
    [InlineData(ExitCodes.Usage, "keys", "update", "not-a-key-id", "--rpm", "2")]
    [InlineData(ExitCodes.Failed, "keys", "update", "bk_00000000", "--rpm", "2")]
    public async Task KeysLimitOptions_BadRequest_NonZeroExitWithErrorLine(int exit, params string[] args)
    {
        CliResult result = await _cli.RunAsync(args);

        Assert.Equal(exit, result.Exit);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    private async Task<JsonElement> ListedKeyAsync(string customerId, string keyId)
    {
        CliResult listed = await _cli.RunAsync("keys", "list", customerId, "--format", "json");
        using JsonDocument json = JsonDocument.Parse(listed.Output);
        return json.RootElement.EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == keyId).Clone();
    }
}
