using System.Buffers;
using System.Text.Json;
using BedrockLambdaProxy.Bedrock;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.Anthropic;

/// <summary>
/// Reads a Messages API request (<c>POST /v1/messages</c>, <c>/v1/messages/count_tokens</c>) into the body Bedrock's
/// InvokeModel takes for Claude: <c>anthropic_version: bedrock-2023-05-31</c>, no <c>model</c> or <c>stream</c>,
/// the <c>anthropic-beta</c> header as the <c>anthropic_beta</c> array, and only the fields and betas
/// <see cref="AnthropicBodyPolicy"/> forwards. Forwarded values are copied as raw bytes, so thinking blocks and
/// their signatures reach Bedrock exactly as Bedrock sent them.
/// </summary>
internal static class AnthropicRequestTranslator
{
    public const string BedrockAnthropicVersion = "bedrock-2023-05-31";

    /// <summary>The surfaces that serve every model, named in the 400 for a model that is not Claude.</summary>
    private const string OtherSurfaces =
        "POST /v1/chat/completions (OpenAI's API), POST /converse, or Bedrock's own POST /model/{modelId}/converse";

    /// <param name="countTokens">A count_tokens request: no stream, and a max_tokens is supplied when absent (InvokeModel requires one).</param>
    public static bool TryTranslate(
        ReadOnlyMemory<byte> requestBody,
        string? betaHeader,
        AnthropicSettings settings,
        bool countTokens,
        out AnthropicRequest? request,
        out ApiError? error)
    {
        request = null;
        if (!JsonBody.TryParseObject(requestBody, out JsonDocument? document, out error))
        {
            return false;
        }
        using (document)
        {
            JsonElement root = document!.RootElement;
            if (!TryResolveModel(root, settings.Aliases, out string? modelId, out error)
                || !TryReadStream(root, countTokens, out bool stream, out error)
                || !MaxTokensField.TryRead(root, out long reserved, out error))
            {
                return false;
            }

            var dropped = new List<string>();
            List<string> betas = Betas(root, betaHeader, modelId!, settings.Policy, dropped);
            var buffer = new ArrayBufferWriter<byte>(requestBody.Length + 128);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("anthropic_version", BedrockAnthropicVersion);
                if (betas.Count > 0)
                {
                    json.WriteStartArray("anthropic_beta");
                    foreach (string beta in betas)
                    {
                        json.WriteStringValue(beta);
                    }
                    json.WriteEndArray();
                }
                bool hasMaxTokens = false;
                foreach (JsonProperty property in root.EnumerateObject())
                {
                    string name = property.Name;
                    if (name is "model" or "stream" or "anthropic_version" or "anthropic_beta")
                    {
                        continue;
                    }
                    if (!settings.Policy.ForwardsField(name))
                    {
                        dropped.Add(name);
                        continue;
                    }
                    hasMaxTokens |= name == "max_tokens";
                    json.WritePropertyName(name);
                    json.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
                }
                if (countTokens && !hasMaxTokens)
                {
                    // Nothing is generated; the budget only has to exceed a thinking budget to be valid.
                    json.WriteNumber("max_tokens", ThinkingBudget(root) + 1);
                }
                json.WriteEndObject();
            }
            request = new AnthropicRequest(modelId!, stream, buffer.WrittenMemory, countTokens ? 0 : reserved, dropped);
            return true;
        }
    }

    /// <summary>
    /// The Bedrock id for <c>model</c>: an alias from the table, or a Claude model id / inference profile / ARN as it is.
    /// Application inference profiles and provisioned models name no model, so they pass and Bedrock decides.
    /// </summary>
    internal static bool TryResolveModel(JsonElement root, AnthropicModelAliases aliases, out string? modelId, out ApiError? error)
    {
        modelId = null;
        if (!JsonBody.TryGetString(root, "model", out string? model, out error))
        {
            return false;
        }
        if (string.IsNullOrEmpty(model))
        {
            error = ApiError.BadRequest("model: Field required.");
            return false;
        }
        if (aliases.Resolve(model) is string aliased)
        {
            modelId = aliased;
            return true;
        }
        if (!ModelId.TryValidate(model, out string problem))
        {
            error = ApiError.BadRequest("model: " + problem);
            return false;
        }
        bool opaqueArn = model.StartsWith("arn:", StringComparison.Ordinal) && !model.Contains("foundation-model/", StringComparison.Ordinal)
            && !model.Contains(":inference-profile/", StringComparison.Ordinal);
        if (model.Contains("anthropic.claude", StringComparison.Ordinal) || opaqueArn)
        {
            modelId = model;
            return true;
        }
        if (model.StartsWith("claude", StringComparison.Ordinal))
        {
            error = ApiError.NotFound(
                $"model: '{model}' is not in this proxy's model alias table; send a Bedrock model id or inference profile " +
                "(such as us.anthropic.claude-sonnet-4-5-20250929-v1:0), or ask the operator to add it to ANTHROPIC_MODEL_ALIASES.");
            return false;
        }
        error = ApiError.BadRequest(
            $"model: '{model}' is not a Claude model; the Anthropic Messages API serves Claude models only. Call other models through {OtherSurfaces}.");
        return false;
    }

    private static bool TryReadStream(JsonElement root, bool countTokens, out bool stream, out ApiError? error)
    {
        stream = false;
        error = null;
        if (!root.TryGetProperty("stream", out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = ApiError.BadRequest($"stream: Input should be a valid boolean, not {JsonBody.Describe(value)}.");
            return false;
        }
        stream = value.ValueKind == JsonValueKind.True && !countTokens;
        return true;
    }

    /// <summary>The header's comma-separated flags and any <c>anthropic_beta</c> in the body, less what the model's family does not take.</summary>
    private static List<string> Betas(JsonElement root, string? header, string modelId, AnthropicBodyPolicy policy, List<string> dropped)
    {
        var asked = new List<string>();
        foreach (string beta in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            asked.Add(beta);
        }
        if (root.TryGetProperty("anthropic_beta", out JsonElement inBody) && inBody.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement beta in inBody.EnumerateArray())
            {
                if (beta.ValueKind == JsonValueKind.String && beta.GetString() is { Length: > 0 } flag)
                {
                    asked.Add(flag);
                }
            }
        }
        var forwarded = new List<string>(asked.Count);
        foreach (string beta in asked)
        {
            if (forwarded.Contains(beta))
            {
                continue;
            }
            if (policy.ForwardsBeta(modelId, beta))
            {
                forwarded.Add(beta);
            }
            else
            {
                dropped.Add("anthropic-beta:" + beta);
            }
        }
        return forwarded;
    }

    private static long ThinkingBudget(JsonElement root) =>
        root.TryGetProperty("thinking", out JsonElement thinking) && thinking.ValueKind == JsonValueKind.Object
        && thinking.TryGetProperty("budget_tokens", out JsonElement budget) && budget.TryGetInt64(out long tokens) && tokens > 0
            ? tokens
            : 0;
}
