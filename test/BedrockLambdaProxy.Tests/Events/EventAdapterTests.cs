using System.Text;
using BedrockLambdaProxy.Events;

namespace BedrockLambdaProxy.Tests.Events;

public sealed class EventAdapterTests
{
    private const string FunctionUrlEvent = """
        {"version":"2.0","routeKey":"$default","rawPath":"/model/us.anthropic.claude-3%3A0/converse","rawQueryString":"a=1",
         "cookies":["c1=v1","c2=v2"],"headers":{"Authorization":"Bearer k","content-type":"application/json"},
         "queryStringParameters":{"a":"1"},
         "requestContext":{"requestId":"fu-req","http":{"method":"post","path":"/x","sourceIp":"203.0.113.9"}},
         "body":"eyJhIjoxfQ==","isBase64Encoded":true}
        """;

    private const string ApiGatewayEvent = """
        {"resource":"/{proxy+}","path":"/converse","httpMethod":"POST",
         "headers":{"X-Test":"last"},"multiValueHeaders":{"X-Test":["first","last"]},
         "stageVariables":{"env":"prod"},
         "requestContext":{"requestId":"apigw-req","stage":"prod","identity":{"sourceIp":"198.51.100.7"}},
         "body":"{\"b\":2}","isBase64Encoded":false}
        """;

    [Fact]
    public void Parse_FunctionUrlEvent_MapsEveryField()
    {
        ProxyRequest request = new EventAdapter(functionUrlStreams: true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(FunctionUrlEvent));

        Assert.Equal("POST", request.Method);
        Assert.Equal("/model/us.anthropic.claude-3%3A0/converse", request.Path);
        Assert.Equal("Bearer k", request.Header("authorization"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("c1=v1; c2=v2", request.Header("cookie"));
        Assert.Equal("1", request.Query["a"]);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(request.Body.Span));
        Assert.Equal("203.0.113.9", request.SourceIp);
        Assert.Equal("fu-req", request.FrontRequestId);
        Assert.Equal(EventOrigin.FunctionUrl, request.Origin);
        Assert.Equal(DeliveryMode.Streamed, request.Delivery);
    }

    [Fact]
    public void Parse_FunctionUrlInBufferedMode_DeliversBuffered()
    {
        ProxyRequest request = new EventAdapter(functionUrlStreams: false, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(FunctionUrlEvent));

        Assert.Equal(DeliveryMode.Buffered, request.Delivery);
    }

    [Fact]
    public void Parse_ApiGatewayEvent_MapsEveryFieldAndBuffers()
    {
        ProxyRequest request = new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(ApiGatewayEvent));

        Assert.Equal("POST", request.Method);
        Assert.Equal("/converse", request.Path);
        Assert.Equal("first, last", request.Header("x-test"));
        Assert.Equal("prod", request.StageVariables["env"]);
        Assert.Equal("{\"b\":2}", Encoding.UTF8.GetString(request.Body.Span));
        Assert.Equal("198.51.100.7", request.SourceIp);
        Assert.Equal("apigw-req", request.FrontRequestId);
        Assert.Equal(EventOrigin.ApiGateway, request.Origin);
        Assert.Equal(DeliveryMode.Buffered, request.Delivery);
    }

    [Fact]
    public void Parse_BufferedApiGatewayRequest_CallerGivesUpAtTheIntegrationTimeoutAfterItArrived()
    {
        string e = ApiGatewayEvent.Replace("\"stage\":\"prod\",", "\"stage\":\"prod\",\"requestTimeEpoch\":1796300000000,", StringComparison.Ordinal);

        ProxyRequest request = new EventAdapter(true, TimeSpan.FromSeconds(29)).Parse(Encoding.UTF8.GetBytes(e));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796300000000 + 29_000), request.CallerGivesUpAt);
    }

    [Theory]
    [InlineData("/stream/converse", "/stream/{proxy+}")] // a STREAM route may run as long as the function
    [InlineData("/converse", "/{proxy+}")] // no requestTimeEpoch in the event: nothing to plan against
    public void Parse_StreamedOrUndatedApiGatewayRequest_NoEarlierCallerDeadline(string path, string resource)
    {
        string e = $$"""
            {"resource":"{{resource}}","path":"{{path}}","httpMethod":"POST",
             "requestContext":{"requestId":"r","stage":"prod"{{(path.StartsWith("/stream", StringComparison.Ordinal) ? ",\"requestTimeEpoch\":1796300000000" : "")}}},
             "body":"{}","isBase64Encoded":false}
            """;

        ProxyRequest request = new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(e));

        Assert.Null(request.CallerGivesUpAt);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("999999999999999999")]
    public void Parse_NonsenseRequestTimeEpoch_ReadAsAbsent(string epoch)
    {
        string e = ApiGatewayEvent.Replace("\"stage\":\"prod\",", $"\"stage\":\"prod\",\"requestTimeEpoch\":{epoch},", StringComparison.Ordinal);

        Assert.Null(new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(e)).CallerGivesUpAt);
    }

    [Fact]
    public void Parse_FunctionUrlRequest_NoEarlierCallerDeadline()
    {
        Assert.Null(new EventAdapter(functionUrlStreams: false, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(FunctionUrlEvent)).CallerGivesUpAt);
    }

    [Theory]
    [InlineData("/stream/converse", "/converse")]
    [InlineData("/stream", "/")]
    [InlineData("/stream/model/m%3A0/converse-stream", "/model/m%3A0/converse-stream")]
    public void Parse_ApiGatewayStreamRoute_StreamsAndStripsPrefix(string path, string expected)
    {
        string json = """{"resource":"/stream/{proxy+}","path":""" + "\"" + path + "\"" + ""","httpMethod":"POST","requestContext":{}}""";

        ProxyRequest request = new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(expected, request.Path);
        Assert.Equal(DeliveryMode.Streamed, request.Delivery);
    }

    [Fact]
    public void Parse_StreamingLookalikeResource_StaysBuffered()
    {
        const string json = """{"resource":"/streamer","path":"/streamer","httpMethod":"GET","requestContext":{}}""";

        ProxyRequest request = new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("/streamer", request.Path);
        Assert.Equal(DeliveryMode.Buffered, request.Delivery);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"version":"2.0","rawPath":"/","requestContext":{}}""")]
    [InlineData("""{"httpMethod":"GET","path":"/","body":"%%%","isBase64Encoded":true}""")]
    [InlineData("null")]
    public void Parse_MalformedEvent_ThrowsMalformedEventException(string payload)
    {
        Assert.Throws<MalformedEventException>(() => new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(payload)));
    }

    [Fact]
    public void Parse_AuthorizationTwiceInApiGatewayMultiValueHeaders_BothValuesReachTheParser()
    {
        const string e = """
            {"resource":"/{proxy+}","path":"/converse","httpMethod":"POST",
             "headers":{"Authorization":"Bearer second"},"multiValueHeaders":{"Authorization":["Bearer first","Bearer second"]},
             "requestContext":{"requestId":"r"},"body":"{}","isBase64Encoded":false}
            """;

        ProxyRequest request = new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(e));

        Assert.Equal("Bearer first, Bearer second", request.Header("authorization"));
    }

    [Fact]
    public void Parse_HeaderNamesDifferingOnlyInCase_KeepsBothValues()
    {
        const string e = """
            {"version":"2.0","rawPath":"/converse","headers":{"Authorization":"Bearer one","authorization":"Bearer two"},
             "requestContext":{"http":{"method":"POST"}},"body":"{}"}
            """;

        ProxyRequest request = new EventAdapter(true, EventAdapter.DefaultApiGatewayTimeout).Parse(Encoding.UTF8.GetBytes(e));

        Assert.Equal("Bearer one, Bearer two", request.Header("authorization"));
    }
}
