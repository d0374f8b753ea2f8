using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace BedrockLambdaProxy.LocalHost.Fronts;

/// <summary>Builds the payload format 1.0 event an API Gateway REST proxy integration sends.</summary>
internal static class ApiGatewayEvent
{
    public const string ApiId = "localapi00";

    /// <param name="resource">The matched resource: "/", "/{proxy+}" or "/stream/{proxy+}".</param>
    /// <param name="path">The request path without the stage.</param>
    /// <param name="proxy">The {proxy+} value, or null for "/".</param>
    public static byte[] Build(HttpContext context, byte[] body, string stage, string resource, string path, string? proxy, string requestId, DateTimeOffset now)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resource", resource);
            writer.WriteString("path", path);
            writer.WriteString("httpMethod", request.Method);

            // REST APIs keep the client's header casing; the single-value map keeps the last value.
            writer.WriteStartObject("headers");
            foreach (var header in request.Headers)
            {
                writer.WriteString(header.Key, header.Value.Count > 0 ? header.Value[^1] : string.Empty);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("multiValueHeaders");
            foreach (var header in request.Headers)
            {
                WriteArray(writer, header.Key, header.Value.ToArray());
            }

            writer.WriteEndObject();
            WriteQuery(writer, request);
            if (proxy is null)
            {
                writer.WriteNull("pathParameters");
            }
            else
            {
                writer.WriteStartObject("pathParameters");
                writer.WriteString("proxy", proxy);
                writer.WriteEndObject();
            }

            writer.WriteNull("stageVariables");
            WriteRequestContext(writer, context, stage, resource, path, requestId, now);
            var (text, isBase64) = BodyEncoding.ForEvent(body, request.ContentType);
            if (text is null)
            {
                writer.WriteNull("body");
            }
            else
            {
                writer.WriteString("body", text);
            }

            writer.WriteBoolean("isBase64Encoded", isBase64);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteQuery(Utf8JsonWriter writer, HttpRequest request)
    {
        if (request.Query.Count == 0)
        {
            writer.WriteNull("queryStringParameters");
            writer.WriteNull("multiValueQueryStringParameters");
            return;
        }

        writer.WriteStartObject("queryStringParameters");
        foreach (var parameter in request.Query)
        {
            writer.WriteString(parameter.Key, parameter.Value.Count > 0 ? parameter.Value[^1] : string.Empty);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("multiValueQueryStringParameters");
        foreach (var parameter in request.Query)
        {
            WriteArray(writer, parameter.Key, parameter.Value.ToArray());
        }

        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, string?[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteRequestContext(Utf8JsonWriter writer, HttpContext context, string stage, string resource, string path, string requestId, DateTimeOffset now)
    {
        var request = context.Request;
        var domainName = request.Host.Value ?? "localhost";
        writer.WriteStartObject("requestContext");
        writer.WriteString("resourceId", "local0");
        writer.WriteString("resourcePath", resource);
        writer.WriteString("httpMethod", request.Method);
        writer.WriteString("extendedRequestId", requestId[..8] + "=");
        writer.WriteString("requestTime", now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture));
        writer.WriteString("path", "/" + stage + (path == "/" ? "/" : path));
        writer.WriteString("accountId", "123456789012");
        writer.WriteString("protocol", request.Protocol);
        writer.WriteString("stage", stage);
        writer.WriteString("domainPrefix", domainName.Split('.', ':')[0]);
        writer.WriteNumber("requestTimeEpoch", now.ToUnixTimeMilliseconds());
        writer.WriteString("requestId", requestId);
        writer.WriteStartObject("identity");
        writer.WriteNull("cognitoIdentityPoolId");
        writer.WriteNull("accountId");
        writer.WriteNull("cognitoIdentityId");
        writer.WriteNull("caller");
        writer.WriteString("sourceIp", context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1");
        writer.WriteNull("principalOrgId");
        writer.WriteNull("accessKey");
        writer.WriteNull("cognitoAuthenticationType");
        writer.WriteNull("cognitoAuthenticationProvider");
        writer.WriteNull("userArn");
        writer.WriteString("userAgent", request.Headers.UserAgent.ToString());
        writer.WriteNull("user");
        writer.WriteEndObject();
        writer.WriteString("domainName", domainName);
        writer.WriteString("apiId", ApiId);
        writer.WriteEndObject();
    }
}
