using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace BedrockLambdaProxy.Storage.Lean;

/// <summary>
/// The SDK's DynamoDB client with the four operations of the request path (GetItem, BatchGetItem,
/// UpdateItem, PutItem) sent by <see cref="DynamoTransport"/> instead of the SDK's handler pipeline, whose
/// endpoint resolution, marshalling and per-call signing set-up were about a quarter of a warm request's
/// CPU (bench/README.md, "Where a warm request's CPU goes"). Every caller and test seam keeps its
/// IAmazonDynamoDB; admin-only operations, and a request using a field the lean writer does not know, go
/// through the SDK as before.
/// </summary>
internal sealed class LeanDynamoClient : AmazonDynamoDBClient
{
    private readonly DynamoTransport _transport;

    public LeanDynamoClient(AWSCredentials credentials, AmazonDynamoDBConfig config, DynamoTransport transport)
        : base(credentials, config)
    {
        _transport = transport;
    }

    public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default) =>
        DynamoRequestJson.Supports(request)
            ? _transport.SendAsync("GetItem", DynamoRequestJson.Write(request), DynamoResponseJson.ReadGetItem, cancellationToken)
            : base.GetItemAsync(request, cancellationToken);

    public override Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default) =>
        DynamoRequestJson.Supports(request)
            ? _transport.SendAsync("BatchGetItem", DynamoRequestJson.Write(request), DynamoResponseJson.ReadBatchGetItem, cancellationToken)
            : base.BatchGetItemAsync(request, cancellationToken);

    public override Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default) =>
        DynamoRequestJson.Supports(request)
            ? _transport.SendAsync("UpdateItem", DynamoRequestJson.Write(request), DynamoResponseJson.ReadUpdateItem, cancellationToken)
            : base.UpdateItemAsync(request, cancellationToken);

    public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default) =>
        DynamoRequestJson.Supports(request)
            ? _transport.SendAsync("PutItem", DynamoRequestJson.Write(request), DynamoResponseJson.ReadPutItem, cancellationToken)
            : base.PutItemAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _transport.Dispose();
        }
        base.Dispose(disposing);
    }
}
