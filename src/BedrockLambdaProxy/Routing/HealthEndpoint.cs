using System.Buffers;
using System.Reflection;
using System.Text.Json;
using BedrockLambdaProxy.Events;

namespace BedrockLambdaProxy.Routing;

/// <summary><c>GET /health</c>: no auth, no dependencies; says the function is up and which build it is
/// (version, commit, CPU architecture, Native AOT or JIT).</summary>
internal static class HealthEndpoint
{
    private static readonly byte[] Body = BuildBody();

    public static Task HandleAsync(RequestContext context) =>
        context.Response.SendAsync(
            new ProxyResponse(200, [new("content-type", "application/json"), new("cache-control", "no-store")], Body),
            context.Cancellation);

    private static byte[] BuildBody()
    {
        Assembly assembly = typeof(HealthEndpoint).Assembly;
        string version = assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        // InformationalVersion carries "+<commit>" when built from git (SourceRevisionId).
        string informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? version;
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        string build = plus >= 0 ? informational[(plus + 1)..] : "local";

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", "ok");
            json.WriteString("version", version);
            json.WriteString("build", build);
            json.WriteString("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
            // Which of the three builds answers (docs/DEPLOY.md): Native AOT has no JIT, so no dynamic code.
            json.WriteString("architecture", System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString());
            json.WriteBoolean("nativeAot", !System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
