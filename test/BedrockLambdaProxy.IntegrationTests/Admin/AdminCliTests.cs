using System.Text.Json;
using System.Text.RegularExpressions;
using BedrockLambdaProxy.Admin;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.IntegrationTests.Dynamo;

namespace BedrockLambdaProxy.IntegrationTests.Admin;

/// <summary>The admin tool end to end against dynalite, checked through the function's own authenticator.</summary>
public sealed partial class AdminCliTests(DynaliteFixture dynamo) : IClassFixture<DynaliteFixture>
{
    private readonly AdminCliRunner _cli = new(dynamo);

    [Fact]
    public async Task KeysIssue_NewCustomer_PrintedKeyAuthenticatesAndListShowsOnlyKeyId()
    {
        string customerId = NewCustomerId();
        CliResult created = await _cli.RunAsync("customers", "create", "--name", "Acme Corp", "--id", customerId,
            "--rpm", "60", "--tpm", "100000", "--models", "model-a,model-b");
        Assert.Equal(ExitCodes.Success, created.Exit);

        CliResult issued = await _cli.RunIssuingAsync("keys", "issue", customerId);
        Assert.Equal(ExitCodes.Success, issued.Exit);
        (string key, string keyId) = ParseIssued(issued.Output);
        Assert.Single(KeyPattern().Matches(issued.Output));
        Assert.DoesNotContain(ApiKeyFormat.Digest(key), issued.Output, StringComparison.Ordinal);

        AuthResult auth = await NewAuthenticator().AuthenticateAsync("Bearer " + key, CancellationToken.None);
        Assert.Equal(AuthResultKind.Success, auth.Kind);
        Assert.Equal(customerId, auth.Customer!.CustomerId);
        Assert.Equal(keyId, auth.Customer.KeyId);
        Assert.Equal(60, auth.Customer.Limits.RequestsPerMinute);
        Assert.Equal(100_000, auth.Customer.Limits.TokensPerMinute);
        Assert.Null(auth.Customer.Limits.TokensPerDay);
        Assert.Equal(["model-a", "model-b"], auth.Customer.AllowedModels);

        CliResult listed = await _cli.RunAsync("keys", "list", customerId);
        Assert.Equal(ExitCodes.Success, listed.Exit);
        Assert.Contains(keyId, listed.Output, StringComparison.Ordinal);
        Assert.Contains("active", listed.Output, StringComparison.Ordinal);
        AssertNoSecrets(key);
    }

    [Fact]
    public async Task KeysRevoke_IssuedKey_ListShowsRevokedAndAuthenticationFails()
    {
        string customerId = await CreateCustomerAsync();
        (string key, string keyId) = ParseIssued((await _cli.RunIssuingAsync("keys", "issue", customerId)).Output);

        CliResult revoked = await _cli.RunAsync("keys", "revoke", keyId);
        CliResult again = await _cli.RunAsync("keys", "revoke", keyId);
        CliResult listed = await _cli.RunAsync("keys", "list", customerId, "--format", "json");

        Assert.Equal(ExitCodes.Success, revoked.Exit);
        Assert.Contains($"Key {keyId} revoked.", revoked.Output, StringComparison.Ordinal);
        // The operator is told exactly how long warm functions may still honour it.
        Assert.Contains("within AUTH_CACHE_SECONDS (default 60 s) while DynamoDB answers", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("AUTH_CACHE_SECONDS + AUTH_STALE_IF_ERROR_SECONDS (default 60 + 60 s)", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("already revoked", again.Output, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(listed.Output);
        JsonElement only = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal(keyId, only.GetProperty("keyId").GetString());
        Assert.Equal("revoked", only.GetProperty("status").GetString());
        Assert.Equal(AuthResultKind.Revoked, (await NewAuthenticator().AuthenticateAsync("Bearer " + key, CancellationToken.None)).Kind);
        AssertNoSecrets(key);
    }

    [Fact]
    public async Task KeysRotate_IssuedKey_BothWorkAndOldGetsGraceExpiry()
    {
        string customerId = await CreateCustomerAsync();
        (string oldKey, string oldKeyId) = ParseIssued((await _cli.RunIssuingAsync("keys", "issue", customerId)).Output);

        CliResult rotated = await _cli.RunIssuingAsync("keys", "rotate", oldKeyId, "--grace-hours", "2");
        (string newKey, string newKeyId) = ParseIssued(rotated.Output);
        CliResult listed = await _cli.RunAsync("keys", "list", customerId);

        Assert.Equal(ExitCodes.Success, rotated.Exit);
        Assert.Contains($"Old key {oldKeyId} keeps working until", rotated.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(oldKey, rotated.Output, StringComparison.Ordinal);
        string oldLine = listed.Output.Split('\n').Single(l => l.StartsWith(oldKeyId, StringComparison.Ordinal));
        Assert.EndsWith(newKeyId, oldLine.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("never", oldLine, StringComparison.Ordinal);
        ApiKeyAuthenticator authenticator = NewAuthenticator();
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + oldKey, CancellationToken.None)).IsSuccess);
        Assert.True((await authenticator.AuthenticateAsync("Bearer " + newKey, CancellationToken.None)).IsSuccess);
        AssertNoSecrets(oldKey, newKey);
    }

    [Fact]
    public async Task CustomersSuspendAndResume_IssuedKey_ForbiddenThenAllowed()
    {
        string customerId = await CreateCustomerAsync();
        (string key, _) = ParseIssued((await _cli.RunIssuingAsync("keys", "issue", customerId)).Output);

        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync("customers", "suspend", customerId)).Exit);
        AuthResult suspended = await NewAuthenticator().AuthenticateAsync("Bearer " + key, CancellationToken.None);
        CliResult issuedWhileSuspended = await _cli.RunIssuingAsync("keys", "issue", customerId);
        Assert.Contains($"customer {customerId} is suspended", issuedWhileSuspended.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync("customers", "resume", customerId)).Exit);
        AuthResult resumed = await NewAuthenticator().AuthenticateAsync("Bearer " + key, CancellationToken.None);

        Assert.Equal(AuthResultKind.CustomerSuspended, suspended.Kind);
        Assert.Equal(AuthResultKind.Success, resumed.Kind);
        AssertNoSecrets(key);
    }

    [Fact]
    public async Task CustomersSetLimitsAndModels_Existing_ChangesOnlyNamedValues()
    {
        string customerId = NewCustomerId();
        await _cli.RunAsync("customers", "create", "--name", "Limits", "--id", customerId, "--rpm", "10", "--tpm", "500", "--models", "m1");

        CliResult limits = await _cli.RunAsync("customers", "set-limits", customerId, "--tpd", "9000", "--monthly-quota", "123456789012", "--unlimited", "rpm");
        CliResult models = await _cli.RunAsync("customers", "set-models", customerId, "--any");
        CliResult shown = await _cli.RunAsync("customers", "show", customerId, "--format", "json");

        Assert.Equal(ExitCodes.Success, limits.Exit);
        Assert.Equal(ExitCodes.Success, models.Exit);
        using JsonDocument json = JsonDocument.Parse(shown.Output);
        JsonElement l = json.RootElement.GetProperty("limits");
        Assert.Equal(JsonValueKind.Null, l.GetProperty("requestsPerMinute").ValueKind);
        Assert.Equal(500, l.GetProperty("tokensPerMinute").GetInt64());
        Assert.Equal(9000, l.GetProperty("tokensPerDay").GetInt64());
        Assert.Equal(123456789012, l.GetProperty("monthlyTokenQuota").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("allowedModels").GetArrayLength());
    }

    [Fact]
    public async Task CustomersMaxConcurrent_CreatedShownListedAndCleared()
    {
        string customerId = NewCustomerId();
        CliResult created = await _cli.RunAsync("customers", "create", "--name", "Capped", "--id", customerId, "--max-concurrent", "3");
        CliResult listed = await _cli.RunAsync("customers", "list");
        CliResult tooMany = await _cli.RunAsync("customers", "set-limits", customerId, "--max-concurrent", "1001");
        CliResult changed = await _cli.RunAsync("customers", "set-limits", customerId, "--max-concurrent", "5");
        CustomerRecord? stored = await new CustomerStore(dynamo.Client, dynamo.Tables).GetAsync(customerId, consistentRead: true, CancellationToken.None);
        CliResult cleared = await _cli.RunAsync("customers", "set-limits", customerId, "--unlimited", "max-concurrent");
        CliResult shown = await _cli.RunAsync("customers", "show", customerId, "--format", "json");

        Assert.Equal(ExitCodes.Success, created.Exit);
        Assert.Contains("MAX CONCURRENT", listed.Output, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Success, tooMany.Exit);
        Assert.Equal(ExitCodes.Success, changed.Exit);
        Assert.Contains("max concurrent: 5", changed.Output, StringComparison.Ordinal);
        Assert.Equal(5, stored!.Limits.MaxConcurrent);
        Assert.Equal(ExitCodes.Success, cleared.Exit);
        using JsonDocument json = JsonDocument.Parse(shown.Output);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("limits").GetProperty("maxConcurrent").ValueKind);
    }

    [Fact]
    public async Task CustomersMonthlyBudget_StoredAsMicroDollarsShownAndCleared()
    {
        string customerId = NewCustomerId();
        CliResult created = await _cli.RunAsync("customers", "create", "--name", "Budgeted", "--id", customerId, "--monthly-budget-usd", "12.5");
        CliResult tooPrecise = await _cli.RunAsync("customers", "set-limits", customerId, "--monthly-budget-usd", "0.0000001");
        CliResult negative = await _cli.RunAsync("customers", "set-limits", customerId, "--monthly-budget-usd", "-1");
        CliResult changed = await _cli.RunAsync("customers", "set-limits", customerId, "--monthly-budget-usd", "250.000001");
        CustomerRecord? stored = await new CustomerStore(dynamo.Client, dynamo.Tables).GetAsync(customerId, consistentRead: true, CancellationToken.None);
        CliResult cleared = await _cli.RunAsync("customers", "set-limits", customerId, "--unlimited", "monthly-budget-usd");
        CustomerRecord? after = await new CustomerStore(dynamo.Client, dynamo.Tables).GetAsync(customerId, consistentRead: true, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, created.Exit);
        Assert.Contains("monthly budget: 12.50 USD", created.Output, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Success, tooPrecise.Exit);
        Assert.NotEqual(ExitCodes.Success, negative.Exit);
        Assert.Equal(ExitCodes.Success, changed.Exit);
        Assert.Equal(250_000_001, stored!.Limits.MonthlyBudgetMicroUsd);
        Assert.Equal(ExitCodes.Success, cleared.Exit);
        Assert.Null(after!.Limits.MonthlyBudgetMicroUsd);
    }

    [Fact]
    public async Task CustomersList_TwoCustomers_TableListsBoth()
    {
        string a = await CreateCustomerAsync();
        string b = await CreateCustomerAsync();

        CliResult listed = await _cli.RunAsync("customers", "list");

        Assert.Equal(ExitCodes.Success, listed.Exit);
        Assert.StartsWith("ID", listed.Output, StringComparison.Ordinal);
        Assert.Contains(a, listed.Output, StringComparison.Ordinal);
        Assert.Contains(b, listed.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExitCodes.Failed, "keys", "revoke", "bk_00000000")]
    [InlineData(ExitCodes.Failed, "keys", "issue", "cus_nobody_here")]
    [InlineData(ExitCodes.Failed, "customers", "suspend", "cus_nobody_here")]
    [InlineData(ExitCodes.Usage, "keys", "revoke", "not-a-key-id")]
    [InlineData(ExitCodes.Usage, "customers", "create")]
    [InlineData(ExitCodes.Usage, "customers", "create", "--name", "X", "--rpm", "0")]
    [InlineData(ExitCodes.Usage, "customers", "create", "--name", "X", "--id", "has space")]
    [InlineData(ExitCodes.Usage, "usage", "report", "x", "--month", "2026-13")]
    [InlineData(ExitCodes.Usage, "keys", "frobnicate")]
    public async Task RunAsync_BadRequest_NonZeroExitWithErrorLine(int exit, params string[] args)
    {
        CliResult result = await _cli.RunAsync(args);

        Assert.Equal(exit, result.Exit);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRevoke_GivenTheKeyItself_RefusesWithoutEchoingIt()
    {
        string customerId = await CreateCustomerAsync();
        (string key, _) = ParseIssued((await _cli.RunIssuingAsync("keys", "issue", customerId)).Output);

        CliResult result = await _cli.RunAsync("keys", "revoke", key);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("not a key id", result.Error, StringComparison.Ordinal);
        AssertNoSecrets(key);
    }

    [Fact]
    public async Task RunAsync_DynamoDbUnreachable_ExitsUnavailable()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = await AdminCli.RunAsync(["customers", "list", "--endpoint", "http://127.0.0.1:9"], output, error, _ => null)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.Unavailable, exit);
        Assert.Contains("cannot reach DynamoDB", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TablesCreate_NewPrefix_CreatesFourTablesThenReportsThemExisting()
    {
        string prefix = "p" + Guid.NewGuid().ToString("N")[..8] + "-";

        CliResult first = await _cli.RunAsync("tables", "create", "--table-prefix", prefix);
        CliResult second = await _cli.RunAsync("tables", "create", "--table-prefix", prefix);

        Assert.Equal(ExitCodes.Success, first.Exit);
        foreach (string table in new[] { "customers", "api-keys", "rate-limits", "usage" })
        {
            Assert.Contains($"{prefix}{table}: created", first.Output, StringComparison.Ordinal);
            Assert.Contains($"{prefix}{table}: exists", second.Output, StringComparison.Ordinal);
        }
    }

    internal static (string Key, string KeyId) ParseIssued(string output)
    {
        Match match = KeyPattern().Match(output);
        Assert.True(match.Success, "no API key in: " + output);
        Assert.True(ApiKeyFormat.TryParse(match.Value, out string keyId));
        Assert.Contains("Key id:   " + keyId, output, StringComparison.Ordinal);
        return (match.Value, keyId);
    }

    private ApiKeyAuthenticator NewAuthenticator() =>
        new(new ApiKeyStore(dynamo.Client, dynamo.Tables), new CustomerStore(dynamo.Client, dynamo.Tables), TimeSpan.FromSeconds(60), TimeProvider.System);

    private async Task<string> CreateCustomerAsync()
    {
        string id = NewCustomerId();
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync("customers", "create", "--name", "Test", "--id", id)).Exit);
        return id;
    }

    private static string NewCustomerId() => "cus_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>No key, nor the digest DynamoDB stores, appears outside the one-time issue print.</summary>
    private void AssertNoSecrets(params string[] keys)
    {
        Assert.NotEmpty(_cli.OrdinaryOutputs);
        foreach (string key in keys)
        {
            string digest = ApiKeyFormat.Digest(key);
            foreach (string text in _cli.OrdinaryOutputs)
            {
                Assert.DoesNotContain(key, text, StringComparison.Ordinal);
                Assert.DoesNotContain(digest, text, StringComparison.Ordinal);
                // Not even the secret part on its own.
                Assert.DoesNotContain(key.Substring(16, 43), text, StringComparison.Ordinal);
            }
        }
    }

    [GeneratedRegex(@"blp_bk_[0-9A-Za-z]{8}_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}")]
    private static partial Regex KeyPattern();
}
