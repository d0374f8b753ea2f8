using System.Text.Json;
using BedrockSimulator.Surfaces;

namespace BedrockSimulator.Validation;

/// <summary>
/// The simulator's one gate for request bodies: the operation's schema, then its conversation rules. Returns
/// Bedrock's ValidationException message, or null when real Bedrock would take the body to the model.
/// </summary>
internal static class RequestValidator
{
    /// <summary>Converse and ConverseStream (one request shape).</summary>
    public static string? Converse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "The request body must be a JSON object.";
        }
        return SchemaCheck.Check(ConverseSchema.Request, root) is Violation violation
            ? BedrockMessages.Converse(violation)
            : ConversationRules.Check(root);
    }

    /// <summary>InvokeModel and InvokeModelWithResponseStream: the model family's JSON schema.</summary>
    public static string? Invoke(NativeFormat format, JsonElement root)
    {
        Shape schema = format switch
        {
            AnthropicFormat => AnthropicSchema.Request,
            TitanFormat => TitanSchema.Request,
            _ => NovaSchema.Request,
        };
        return SchemaCheck.Check(schema, root) is Violation violation ? BedrockMessages.Invoke(violation) : null;
    }
}
