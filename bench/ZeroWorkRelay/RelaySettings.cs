using System.Globalization;
using System.Net;

namespace ZeroWorkRelay;

/// <summary>The environment the local stack gives every worker.</summary>
internal sealed record RelaySettings(IPEndPoint RuntimeApi, string RuntimeApiHost, IPEndPoint BedrockEndpoint, string BedrockHost, string Region, string AccessKeyId, string SecretAccessKey)
{
    public static RelaySettings FromEnvironment()
    {
        string runtimeApi = Required("AWS_LAMBDA_RUNTIME_API");
        var bedrock = new Uri(Required("BEDROCK_ENDPOINT"));
        int colon = runtimeApi.LastIndexOf(':');
        return new RelaySettings(
            new IPEndPoint(Loopback(runtimeApi[..colon]), int.Parse(runtimeApi[(colon + 1)..], CultureInfo.InvariantCulture)),
            runtimeApi,
            new IPEndPoint(Loopback(bedrock.Host), bedrock.Port),
            bedrock.Authority,
            Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
            Required("AWS_ACCESS_KEY_ID"),
            Required("AWS_SECRET_ACCESS_KEY"));
    }

    private static IPAddress Loopback(string host) => host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set");
}
