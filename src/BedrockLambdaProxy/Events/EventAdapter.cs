using System.Text;
using System.Text.Json;

namespace BedrockLambdaProxy.Events;

/// <summary>Turns a Function URL or API Gateway REST event into one <see cref="ProxyRequest"/>.</summary>
/// <param name="functionUrlStreams">Whether the Function URL's InvokeMode is RESPONSE_STREAM.</param>
/// <param name="apiGatewayTimeout">The REST API's integration timeout (29 s unless raised), after which a buffered caller has its 504.</param>
internal sealed class EventAdapter(bool functionUrlStreams, TimeSpan apiGatewayTimeout)
{
    /// <summary>Year 9000: a larger requestTimeEpoch is nonsense, read as absent rather than failing the request.</summary>
    private const long LatestEpochMs = 221_845_392_000_000;

    /// <summary>API Gateway's default integration timeout.</summary>
    public static readonly TimeSpan DefaultApiGatewayTimeout = TimeSpan.FromSeconds(29);

    /// <summary>
    /// API Gateway REST routes under this resource prefix use <c>responseTransferMode: STREAM</c>
    /// (see template.yaml), so the function streams there and strips the prefix before routing.
    /// </summary>
    public const string StreamResourcePrefix = "/stream";

    private static readonly IReadOnlyDictionary<string, string> Empty =
        new Dictionary<string, string>(StringComparer.Ordinal);

    public ProxyRequest Parse(ReadOnlyMemory<byte> payload)
    {
        LambdaHttpEvent? e;
        try
        {
            e = JsonSerializer.Deserialize(payload.Span, EventJsonContext.Default.LambdaHttpEvent);
        }
        catch (JsonException ex)
        {
            throw new MalformedEventException("The invocation payload is not valid JSON.", ex);
        }

        if (e is null)
        {
            throw new MalformedEventException("The invocation payload is empty.");
        }
        if (e.Version == "2.0" && e.RawPath is not null)
        {
            return FromFunctionUrl(e);
        }
        if (e.HttpMethod is not null && e.Path is not null)
        {
            return FromApiGateway(e);
        }
        throw new MalformedEventException("The invocation payload is neither a Function URL (2.0) nor an API Gateway REST (1.0) event.");
    }

    private ProxyRequest FromFunctionUrl(LambdaHttpEvent e)
    {
        string method = e.RequestContext?.Http?.Method
            ?? throw new MalformedEventException("Function URL event without requestContext.http.method.");
        Dictionary<string, string> headers = Headers(e.Headers);
        // Payload 2.0 moves Cookie headers into a separate array; put them back for anyone who reads them.
        if (e.Cookies is { Count: > 0 } cookies)
        {
            headers["cookie"] = string.Join("; ", cookies);
        }
        return new ProxyRequest
        {
            Method = method.ToUpperInvariant(),
            Path = e.RawPath!,
            Headers = headers,
            Query = Copy(e.QueryStringParameters),
            Body = Body(e),
            SourceIp = e.RequestContext?.Http?.SourceIp,
            FrontRequestId = e.RequestContext?.RequestId,
            StageVariables = Empty,
            Origin = EventOrigin.FunctionUrl,
            Delivery = functionUrlStreams ? DeliveryMode.Streamed : DeliveryMode.Buffered,
        };
    }

    private ProxyRequest FromApiGateway(LambdaHttpEvent e)
    {
        string resource = e.Resource ?? e.RequestContext?.ResourcePath ?? "";
        string path = e.Path!;
        bool streamRoute = IsUnder(resource, StreamResourcePrefix);
        if (streamRoute && IsUnder(path, StreamResourcePrefix))
        {
            path = path.Length == StreamResourcePrefix.Length ? "/" : path[StreamResourcePrefix.Length..];
        }

        Dictionary<string, string> headers = Headers(e.Headers);
        // multiValueHeaders is the complete view in 1.0; headers keeps only the last value.
        if (e.MultiValueHeaders is not null)
        {
            foreach ((string name, List<string>? values) in e.MultiValueHeaders)
            {
                if (values is { Count: > 1 })
                {
                    headers[name] = string.Join(", ", values);
                }
            }
        }
        return new ProxyRequest
        {
            Method = e.HttpMethod!.ToUpperInvariant(),
            Path = path,
            Headers = headers,
            Query = Copy(e.QueryStringParameters),
            Body = Body(e),
            SourceIp = e.RequestContext?.Identity?.SourceIp,
            FrontRequestId = e.RequestContext?.RequestId,
            StageVariables = e.StageVariables is null ? Empty : new Dictionary<string, string>(e.StageVariables, StringComparer.Ordinal),
            Origin = EventOrigin.ApiGateway,
            Delivery = streamRoute ? DeliveryMode.Streamed : DeliveryMode.Buffered,
            // A STREAM route may run as long as the function; a buffered one ends at the integration timeout.
            CallerGivesUpAt = !streamRoute && e.RequestContext?.RequestTimeEpoch is { } received and > 0 and < LatestEpochMs
                ? DateTimeOffset.FromUnixTimeMilliseconds(received) + apiGatewayTimeout
                : null,
        };
    }

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal)
        && (path.Length == prefix.Length || path[prefix.Length] == '/');

    private static Dictionary<string, string> Headers(Dictionary<string, string?>? source)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (source is not null)
        {
            foreach ((string name, string? value) in source)
            {
                // Names differing only in case are one header (RFC 9110 §5.1): keep every value, joined
                // as a repeated header is (§5.3), so a second Authorization cannot silently replace the first.
                headers[name] = headers.TryGetValue(name, out string? earlier) && earlier != (value ?? "")
                    ? earlier + ", " + value
                    : value ?? "";
            }
        }
        return headers;
    }

    private static IReadOnlyDictionary<string, string> Copy(Dictionary<string, string?>? source)
    {
        if (source is null || source.Count == 0)
        {
            return Empty;
        }
        var copy = new Dictionary<string, string>(source.Count, StringComparer.Ordinal);
        foreach ((string name, string? value) in source)
        {
            copy[name] = value ?? "";
        }
        return copy;
    }

    private static ReadOnlyMemory<byte> Body(LambdaHttpEvent e)
    {
        if (string.IsNullOrEmpty(e.Body))
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        if (!e.IsBase64Encoded)
        {
            return Encoding.UTF8.GetBytes(e.Body);
        }
        try
        {
            return Convert.FromBase64String(e.Body);
        }
        catch (FormatException ex)
        {
            throw new MalformedEventException("The event says isBase64Encoded but its body is not base64.", ex);
        }
    }
}
