using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>Builds the payload format 2.0 event a Lambda Function URL sends for an HTTP request.</summary>
internal static class FunctionUrlEvent
{
    public const string ApiId = "localfunctionurl0000000000000000";

    public static byte[] Build(HttpContext context, byte[] body, string requestId, DateTimeOffset now)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "2.0");
            writer.WriteString("routeKey", "$default");
            writer.WriteString("rawPath", request.Path.Value is { Length: > 0 } path ? path : "/");
            writer.WriteString("rawQueryString", request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty);
            WriteCookies(writer, request);
            WriteHeaders(writer, request, requestId);
            WriteQuery(writer, request);
            WriteRequestContext(writer, context, requestId, now);
            var (text, isBase64) = BodyEncoding.ForEvent(body, request.ContentType);
            if (text is not null)
            {
                writer.WriteString("body", text);
            }

            writer.WriteBoolean("isBase64Encoded", isBase64);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteCookies(Utf8JsonWriter writer, HttpRequest request)
    {
        // Payload 2.0 moves the Cookie header into its own array, one entry per cookie.
        var cookies = request.Headers.Cookie.SelectMany(v => (v ?? string.Empty).Split(';'))
            .Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        if (cookies.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("cookies");
        foreach (var cookie in cookies)
        {
            writer.WriteStringValue(cookie);
        }

        writer.WriteEndArray();
    }

    private static void WriteHeaders(Utf8JsonWriter writer, HttpRequest request, string requestId)
    {
        writer.WriteStartObject("headers");
        foreach (var header in request.Headers)
        {
            if (string.Equals(header.Key, "Cookie", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            writer.WriteString(header.Key.ToLowerInvariant(), string.Join(',', header.Value.ToArray()));
        }

        if (!request.Headers.ContainsKey("X-Forwarded-Proto"))
        {
            writer.WriteString("x-forwarded-proto", request.Scheme);
            writer.WriteString("x-forwarded-port", (request.Host.Port ?? 80).ToString(CultureInfo.InvariantCulture));
            writer.WriteString("x-forwarded-for", request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1");
        }

        writer.WriteString("x-amzn-trace-id", TraceHeader.For(requestId, DateTimeOffset.UtcNow));
        writer.WriteEndObject();
    }

    private static void WriteQuery(Utf8JsonWriter writer, HttpRequest request)
    {
        if (request.Query.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("queryStringParameters");
        foreach (var parameter in request.Query)
        {
            writer.WriteString(parameter.Key, string.Join(',', parameter.Value.ToArray()));
        }

        writer.WriteEndObject();
    }

    private static void WriteRequestContext(Utf8JsonWriter writer, HttpContext context, string requestId, DateTimeOffset now)
    {
        var request = context.Request;
        var domainName = request.Host.Value ?? "localhost";
        writer.WriteStartObject("requestContext");
        writer.WriteString("accountId", "anonymous");
        writer.WriteString("apiId", ApiId);
        writer.WriteString("domainName", domainName);
        writer.WriteString("domainPrefix", domainName.Split('.', ':')[0]);
        writer.WriteStartObject("http");
        writer.WriteString("method", request.Method);
        writer.WriteString("path", request.Path.Value is { Length: > 0 } path ? path : "/");
        writer.WriteString("protocol", request.Protocol);
        writer.WriteString("sourceIp", context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1");
        writer.WriteString("userAgent", request.Headers.UserAgent.ToString());
        writer.WriteEndObject();
        writer.WriteString("requestId", requestId);
        writer.WriteString("routeKey", "$default");
        writer.WriteString("stage", "$default");
        writer.WriteString("time", now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture));
        writer.WriteNumber("timeEpoch", now.ToUnixTimeMilliseconds());
        writer.WriteEndObject();
    }
}
