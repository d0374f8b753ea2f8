using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Auth;
using BedrockLambdaProxy.Events;
using BedrockLambdaProxy.Limits;
using BedrockLambdaProxy.Logging;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// <c>GET /v1/models</c> in Anthropic's list shape (asked for with an <c>anthropic-version</c> header): the Claude
/// models this customer may call, by names it can send to <c>/v1/messages</c>: the alias of each aliased Bedrock
/// model its allow-list admits (one per model, the dated name), then allow-listed Claude ids that have no alias.
/// <c>GET /v1/models/{id}</c> answers one such model by any name <c>/v1/messages</c> takes for it (an alias, a Claude
/// model id or inference profile), or Anthropic's 404 when the name is not a Claude model this customer may call.
/// </summary>
internal sealed class AnthropicModels(AnthropicSettings settings)
{
    // Bedrock does not say when a model was published; the epoch says "unknown" in the RFC 3339 string clients parse.
    private const string UnknownCreatedAt = "1970-01-01T00:00:00Z";

    public Task ListAsync(RequestContext context, CustomerContext customer)
    {
        List<string> names = NamesFor(customer.AllowedModels);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (string name in names)
            {
                WriteModel(json, name);
            }
            json.WriteEndArray();
            json.WriteBoolean("has_more", false);
            WriteIdOrNull(json, "first_id", names.Count > 0 ? names[0] : null);
            WriteIdOrNull(json, "last_id", names.Count > 0 ? names[^1] : null);
            json.WriteEndObject();
        }
        return context.Response.SendAsync(
            new ProxyResponse(200, [new("content-type", "application/json")], buffer.WrittenMemory), context.Cancellation);
    }

    /// <summary>One model, by the name the caller asked for; 404 in Anthropic's shape for a name it cannot send.</summary>
    public Task RetrieveAsync(RequestContext context, CustomerContext customer)
    {
        string id = context.RouteValues.GetValueOrDefault("modelId") ?? "";
        if (!Serves(id, customer.AllowedModels))
        {
            // Anthropic words a missing model as "model: <id>"; the rest says why a Bedrock id may be missing here.
            var missing = ApiError.NotFound($"model: {id} (not a Claude model this API key may call through /v1/messages)");
            return context.Response.SendAsync(ErrorResponses.Render(missing, ErrorStyle.Anthropic), context.Cancellation);
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Readable))
        {
            WriteModel(json, id);
        }
        return context.Response.SendAsync(
            new ProxyResponse(200, [new("content-type", "application/json")], buffer.WrittenMemory), context.Cancellation);
    }

    /// <summary>Whether <paramref name="name"/> reaches a Claude model the allow-list admits, as /v1/messages would resolve it.</summary>
    internal bool Serves(string name, IReadOnlyList<string> allowed)
    {
        string bedrockId = settings.Aliases.Resolve(name) ?? name;
        return Bedrock.ModelId.TryValidate(bedrockId, out _)
            && bedrockId.Contains("anthropic.claude", StringComparison.Ordinal)
            && ModelAllowList.IsAllowed(allowed, bedrockId);
    }

    internal List<string> NamesFor(IReadOnlyList<string> allowed)
    {
        var names = new List<string>();
        var listedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (string bedrockId in settings.Aliases.Entries.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (ModelAllowList.IsAllowed(allowed, bedrockId) && settings.Aliases.NamesFor(bedrockId).FirstOrDefault() is string name)
            {
                names.Add(name);
                listedIds.Add(bedrockId);
            }
        }
        foreach (string entry in allowed)
        {
            if (!entry.EndsWith('*') && entry.Contains("anthropic.claude", StringComparison.Ordinal) && listedIds.Add(entry))
            {
                names.Add(entry);
            }
        }
        return names;
    }

    private static void WriteModel(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject();
        json.WriteString("type", "model");
        json.WriteString("id", name);
        json.WriteString("display_name", name);
        json.WriteString("created_at", UnknownCreatedAt);
        json.WriteEndObject();
    }

    private static void WriteIdOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
