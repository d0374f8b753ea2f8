using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> in OpenAI's shape: the customer's allow-list,
/// or <see cref="DefaultModels"/> when the customer may call any model (docs/OPENAI.md).
/// </summary>
internal static class OpenAiModels
{
    /// <summary>
    /// What a customer without an allow-list is shown: common text and embedding models available on-demand in
    /// most regions. Such a customer may still call any other model id; this is only the listing.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultModels =
    [
        "amazon.nova-micro-v1:0",
        "amazon.nova-lite-v1:0",
        "amazon.nova-pro-v1:0",
        "anthropic.claude-3-haiku-20240307-v1:0",
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "meta.llama3-1-8b-instruct-v1:0",
        "meta.llama3-1-70b-instruct-v1:0",
        "mistral.mistral-large-2402-v1:0",
        // Embedding models for POST /v1/embeddings (EmbeddingFamily).
        "amazon.titan-embed-text-v2:0",
        "cohere.embed-english-v3",
        "cohere.embed-multilingual-v3",
        "cohere.embed-v4:0",
    ];

    // Bedrock does not say when a model was published; 0 (the Unix epoch) means "unknown" and
    // keeps the field the integer every OpenAI client expects.
    private const long UnknownCreated = 0;

    /// <summary>The models a customer is shown: its allow-list in its own order, else the defaults.</summary>
    public static IReadOnlyList<string> For(CustomerContext customer) =>
        customer.AllowedModels.Count > 0 ? customer.AllowedModels : DefaultModels;

    public static Task ListAsync(RequestContext context, CustomerContext customer)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (string id in For(customer))
            {
                WriteModel(json, id);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return SendAsync(context, buffer.WrittenMemory);
    }

    /// <summary>200 for a model this customer may call (with no allow-list: any valid Bedrock model id), else 404 as OpenAI answers.</summary>
    public static Task RetrieveAsync(RequestContext context, CustomerContext customer)
    {
        string id = context.RouteValues.GetValueOrDefault("modelId") ?? "";
        if (!ModelId.TryValidate(id, out _) || !ModelAllowList.IsAllowed(customer.AllowedModels, id))
        {
            var missing = ApiError.NotFound($"The model '{id}' does not exist or you do not have access to it.") with { Param = "model" };
            return context.Response.SendAsync(ErrorResponses.Render(missing, ErrorStyle.OpenAi), context.Cancellation);
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            WriteModel(json, id);
        }
        return SendAsync(context, buffer.WrittenMemory);
    }

    /// <summary>The provider part of a model id: <c>us.anthropic.claude…</c> and ARNs ending in one → <c>anthropic</c>.</summary>
    internal static string OwnerOf(string modelId)
    {
        string id = modelId;
        if (id.StartsWith("arn:", StringComparison.Ordinal))
        {
            int slash = id.LastIndexOf('/');
            id = slash >= 0 ? id[(slash + 1)..] : id;
        }
        string[] parts = id.Split('.');
        // Cross-region inference profiles prefix the provider with a geography (us., eu., apac., global.).
        string owner = parts.Length > 2 && parts[0] is "us" or "eu" or "apac" or "global" or "us-gov" or "jp" or "au" ? parts[1] : parts[0];
        return parts.Length > 1 && owner.Length > 0 ? owner : "bedrock";
    }

    private static void WriteModel(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "model");
        json.WriteNumber("created", UnknownCreated);
        json.WriteString("owned_by", OwnerOf(id));
        json.WriteEndObject();
    }

    private static Task SendAsync(RequestContext context, ReadOnlyMemory<byte> body) =>
        context.Response.SendAsync(
            new ProxyResponse(200, [new("content-type", "application/json")], body), context.Cancellation);
}
