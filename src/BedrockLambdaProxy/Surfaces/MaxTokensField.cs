using System.Text.Json;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces;

/// <summary>
/// The caller's cap on the answer's length, which admission reserves against the token limits before
/// Bedrock is called. Each model family puts it somewhere else; every place in <see cref="Fields"/> that
/// is present must hold an integer from 1 to <see cref="int.MaxValue"/> (Bedrock's fields are 32-bit
/// integers), otherwise the request is refused naming the field — before anything is reserved.
/// </summary>
internal static class MaxTokensField
{
    /// <summary>Where the families put it: (parent object or null for the top level, property, what uses it).</summary>
    private static readonly (string? Parent, string Name)[] Fields =
    [
        // Converse / ConverseStream: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InferenceConfiguration.html
        ("inferenceConfig", "maxTokens"),
        // Anthropic Messages, Mistral, Cohere Command R, AI21 Jamba, DeepSeek:
        // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
        (null, "max_tokens"),
        // Anthropic Text Completions: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-text-completion.html
        (null, "max_tokens_to_sample"),
        // OpenAI chat completions bodies (gpt-oss on InvokeModel, the OpenAI surface).
        (null, "max_completion_tokens"),
        // Meta Llama: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-meta.html
        (null, "max_gen_len"),
        // Amazon Nova InvokeModel: https://docs.aws.amazon.com/nova/latest/userguide/complete-request-schema.html
        ("inferenceConfig", "max_new_tokens"),
        // Amazon Titan Text: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-text.html
        ("textGenerationConfig", "maxTokenCount"),
    ];

    /// <summary>
    /// The largest cap found (0 when the body sets none: admission then reserves nothing up front);
    /// false with a 400 naming the field when one is present but not a usable integer. A parent that is
    /// not an object is left to Bedrock's own validation: the proxy reads nothing from it.
    /// </summary>
    public static bool TryRead(JsonElement root, out long reserved, out ApiError? error)
    {
        reserved = 0;
        error = null;
        foreach ((string? parentName, string name) in Fields)
        {
            JsonElement parent = root;
            if (parentName is not null
                && (!root.TryGetProperty(parentName, out parent) || parent.ValueKind != JsonValueKind.Object))
            {
                continue;
            }
            if (!parent.TryGetProperty(name, out JsonElement value))
            {
                continue;
            }
            string path = parentName is null ? name : parentName + "." + name;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long tokens) || tokens is < 1 or > int.MaxValue)
            {
                error = ApiError.BadRequest(
                    $"\"{path}\" must be an integer from 1 to {int.MaxValue}, not {JsonBody.Describe(value)}.");
                return false;
            }
            reserved = Math.Max(reserved, tokens);
        }
        return true;
    }
}
