using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Logging;

namespace BedrockLambdaProxy.Routing;

/// <summary>Renders an <see cref="ApiError"/> in the shape the surface's clients expect.</summary>
internal static class ErrorResponses
{
    public static ProxyResponse Render(ApiError error, ErrorStyle style)
    {
        var headers = new List<KeyValuePair<string, string>>(4 + error.ExtraHeaders.Count)
        {
            new("content-type", "application/json"),
        };
        if (style == ErrorStyle.Aws)
        {
            headers.Add(new("x-amzn-ErrorType", error.Type));
        }
        // One Retry-After at most: a second copy makes the header unparseable, and admission's
        // headers may already carry one.
        if (error.RetryAfterSeconds is int seconds && !Has(error.ExtraHeaders, "retry-after"))
        {
            headers.Add(new("retry-after", seconds.ToString(CultureInfo.InvariantCulture)));
        }
        headers.AddRange(error.ExtraHeaders);
        return new ProxyResponse(error.StatusCode, headers, Body(error, style));
    }

    /// <summary>
    /// What an SSE <c>event: error</c> carries after the first byte: OpenAI's error object for
    /// OpenAI clients (their stream readers raise it), else the small <c>{"type","message"}</c>.
    /// </summary>
    public static byte[] StreamErrorJson(ApiError error, ErrorStyle style) =>
        style is ErrorStyle.OpenAi or ErrorStyle.Anthropic ? Body(error, style) : StreamErrorJson(error.Type, error.Message);

    /// <summary>The small JSON object an SSE <c>event: error</c> carries after the first byte.</summary>
    public static byte[] StreamErrorJson(string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("message", message);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static bool Has(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static byte[] Body(ApiError error, ErrorStyle style)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            switch (style)
            {
                case ErrorStyle.Aws:
                    json.WriteString("message", error.Message);
                    break;
                case ErrorStyle.OpenAi:
                    json.WriteStartObject("error");
                    json.WriteString("message", error.Message);
                    json.WriteString("type", OpenAiType(error.StatusCode));
                    if (error.Param is null)
                    {
                        json.WriteNull("param");
                    }
                    else
                    {
                        json.WriteString("param", error.Param);
                    }
                    json.WriteString("code", error.Code ?? OpenAiCode(error.Type));
                    json.WriteEndObject();
                    break;
                case ErrorStyle.Anthropic:
                    json.WriteString("type", "error");
                    json.WriteStartObject("error");
                    json.WriteString("type", AnthropicType(error.StatusCode));
                    json.WriteString("message", error.Message);
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteStartObject("error");
                    json.WriteString("type", error.Type);
                    json.WriteString("message", error.Message);
                    json.WriteEndObject();
                    break;
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    // OpenAI's own codes where one means the same thing; otherwise the AWS-style type, which is
    // still a stable machine-readable string.
    private static string OpenAiCode(string type) => type switch
    {
        "ThrottlingException" or "ServiceQuotaExceededException" => "rate_limit_exceeded",
        "ResourceNotFoundException" => "model_not_found",
        "UnrecognizedClientException" => "invalid_api_key",
        _ => type,
    };

    // The error types Anthropic's API documents (https://docs.anthropic.com/en/api/errors), by status as Anthropic assigns them.
    private static string AnthropicType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    // The type names OpenAI's clients map to their exception classes.
    private static string OpenAiType(int status) => status switch
    {
        400 or 404 or 405 or 413 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "api_error",
    };
}
