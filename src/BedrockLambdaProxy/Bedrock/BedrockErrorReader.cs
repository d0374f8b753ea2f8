using System.Text.Json;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Turns a non-2xx Bedrock response into a <see cref="BedrockException"/>, the way AWS SDKs read the
/// restJson1 error shape: the type from x-amzn-ErrorType (text before ':'), else the body's __type;
/// the message from the body's message / Message.
/// </summary>
internal static class BedrockErrorReader
{
    /// <summary>Error bodies are small JSON documents; anything bigger is not worth reading whole.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    private const string ErrorTypeHeader = "x-amzn-ErrorType";

    public static BedrockException Read(
        BedrockOperation operation, string modelId, HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        int status = (int)response.StatusCode;
        (string? bodyType, string? message) = ParseBody(body);
        string errorType = TypeFromHeader(response) ?? Clean(bodyType) ?? TypeFromStatus(status);
        message = string.IsNullOrEmpty(message) ? $"Amazon Bedrock answered HTTP {status} ({errorType})." : message;
        TimeSpan? retryAfter = RetryAfter(response);
        return new BedrockException(
            operation, modelId, errorType, message, status, retryAfter, BedrockRetryPolicy.IsRetryable(errorType, status));
    }

    private static string? TypeFromHeader(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues(ErrorTypeHeader, out var values))
        {
            return null;
        }
        foreach (string value in values)
        {
            return Clean(value);
        }
        return null;
    }

    /// <summary>"ValidationException:http://internal…" and "com.amazon…#ValidationException" → ValidationException.</summary>
    private static string? Clean(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }
        int colon = type.IndexOf(':');
        if (colon >= 0)
        {
            type = type[..colon];
        }
        int hash = type.LastIndexOf('#');
        if (hash >= 0)
        {
            type = type[(hash + 1)..];
        }
        type = type.Trim();
        return type.Length == 0 ? null : type;
    }

    private static string TypeFromStatus(int status) => status switch
    {
        400 => "ValidationException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        408 => "ModelTimeoutException",
        429 => "ThrottlingException",
        503 => "ServiceUnavailableException",
        >= 500 => "InternalServerException",
        _ => "UnknownError",
    };

    private static (string? Type, string? Message) ParseBody(ReadOnlySpan<byte> body)
    {
        string? type = null;
        string? message = null;
        if (body.IsEmpty)
        {
            return (type, message);
        }
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (type, message);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("__type");
                bool isMessage = reader.ValueTextEquals("message") || reader.ValueTextEquals("Message");
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && (isType || isMessage))
                {
                    if (isType)
                    {
                        type = reader.GetString();
                    }
                    else
                    {
                        message = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A proxy or load balancer in front of Bedrock may answer with HTML; the status still speaks.
        }
        return (type, message);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter.Date is { } date)
        {
            TimeSpan wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
