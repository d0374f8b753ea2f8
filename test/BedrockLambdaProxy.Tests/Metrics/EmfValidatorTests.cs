namespace BedrockLambdaProxy.Tests.Metrics;

/// <summary>The validator must itself catch each rule it claims to check, or the metrics tests prove nothing.</summary>
public sealed class EmfValidatorTests
{
    private const string Valid = """
        {"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["A"],[]],"Metrics":[{"Name":"M","Unit":"Count"}]}]},"A":"x","M":1}
        """;

    [Fact]
    public void Violations_ValidDocument_None()
    {
        Assert.Empty(EmfValidator.Violations(Valid));
    }

    [Theory]
    [InlineData("""{"M":1}""", "no _aws")]
    [InlineData("""{"_aws":{"CloudWatchMetrics":[]}}""", "Timestamp is missing")]
    [InlineData("""{"_aws":{"Timestamp":1764748800,"CloudWatchMetrics":[]}}""", "milliseconds")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000.5,"CloudWatchMetrics":[]}}""", "milliseconds")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000}}""", "CloudWatchMetrics is missing")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Dimensions":[],"Metrics":[]}]}}""", "Namespace")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Metrics":[]}]}}""", "Dimensions is missing")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["A"]],"Metrics":[]}]}}""", "no target member")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["A"]],"Metrics":[]}]},"A":3}""", "not a string")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[],"Metrics":[{"Name":"M"}]}]}}""", "no value member")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[],"Metrics":[{"Name":"M"}]}]},"M":"1"}""", "not a number")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[],"Metrics":[{"Name":"M","Unit":"Tokens"}]}]},"M":1}""", "not a CloudWatch unit")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[],"Metrics":[{"Name":"M","Extra":1}]}]},"M":1}""", "does not define")]
    [InlineData("""{"_aws":{"Timestamp":1764748800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["M"]],"Metrics":[{"Name":"M"}]}]},"M":"x"}""", "both a dimension and a metric")]
    public void Violations_BrokenRule_Reported(string line, string expected)
    {
        Assert.Contains(EmfValidator.Violations(line), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Violations_ThirtyOneDimensionKeys_Reported()
    {
        var keys = Enumerable.Range(0, 31).Select(i => $"D{i}").ToArray();
        string line = "{\"_aws\":{\"Timestamp\":1764748800000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[["
            + string.Join(",", keys.Select(k => $"\"{k}\"")) + "]],\"Metrics\":[]}]},"
            + string.Join(",", keys.Select(k => $"\"{k}\":\"v\"")) + "}";

        Assert.Contains(EmfValidator.Violations(line), v => v.Contains("at most 30", StringComparison.Ordinal));
    }

    [Fact]
    public void Violations_HundredAndOneMetrics_Reported()
    {
        var names = Enumerable.Range(0, 101).Select(i => $"M{i}").ToArray();
        string line = "{\"_aws\":{\"Timestamp\":1764748800000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":["
            + string.Join(",", names.Select(n => $"{{\"Name\":\"{n}\"}}")) + "]}]},"
            + string.Join(",", names.Select(n => $"\"{n}\":1")) + "}";

        Assert.Contains(EmfValidator.Violations(line), v => v.Contains("at most 100", StringComparison.Ordinal));
    }
}
