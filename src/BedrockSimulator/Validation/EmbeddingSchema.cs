using System.Text.Json;
using BedrockSimulator.Scripts;
using static BedrockSimulator.Validation.S;

namespace BedrockSimulator.Validation;

/// <summary>
/// The embedding models' InvokeModel bodies, checked as Bedrock checks a model's JSON schema (closed objects: an
/// unknown key is refused). Fields from the Bedrock user guide, read 2026-12-05:
/// Titan V2 https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html (inputText,
/// dimensions 1024/512/256, normalize, embeddingTypes float/binary; 8,192 tokens or 50,000 characters at most),
/// Cohere v3 https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html (texts 0–96 of 0–2,048 characters, input_type,
/// truncate NONE/START/END, embedding_types), Cohere v4 https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v4.html
/// (input_type required, texts up to 96, output_dimension 256/512/1024/1536, max_tokens, truncate NONE/LEFT/RIGHT).
/// </summary>
internal static class EmbeddingSchema
{
    private static readonly string[] InputTypes = ["search_document", "search_query", "classification", "clustering"];

    private static readonly Shape Titan = Obj("TitanEmbedRequest",
        Req("inputText", Str(min: 1, max: 50_000)),
        Opt("dimensions", Int()),
        Opt("normalize", Bool),
        Opt("embeddingTypes", List(Enum("float", "binary"), min: 1)));

    private static readonly Shape CohereV3 = Obj("CohereEmbedRequest",
        Req("texts", List(Str(max: 2048), max: 96)),
        Req("input_type", Enum([.. InputTypes, "image"])),
        Opt("images", List(Text, max: 1)),
        Opt("truncate", Enum("NONE", "START", "END")),
        Opt("embedding_types", List(Enum("float", "int8", "uint8", "binary", "ubinary"))));

    private static readonly Shape CohereV4 = Obj("CohereEmbedV4Request",
        Req("input_type", Enum(InputTypes)),
        Opt("texts", List(Text, max: 96)),
        Opt("images", List(Text, max: 96)),
        Opt("inputs", List(Any, max: 96)),
        Opt("embedding_types", List(Enum("float", "int8", "uint8", "binary", "ubinary"))),
        Opt("output_dimension", Int()),
        Opt("max_tokens", Int(min: 1)),
        Opt("truncate", Enum("NONE", "LEFT", "RIGHT")));

    /// <summary>Bedrock's ValidationException message for the body, or null when the model would take it.</summary>
    public static string? Check(EmbeddingModel model, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Malformed input request: #: expected type: JSONObject, found: " + root.ValueKind + ", please reformat your input and try again.";
        }
        Shape shape = model.Family switch
        {
            EmbeddingModel.Titan => Titan,
            EmbeddingModel.CohereV3 => CohereV3,
            _ => CohereV4,
        };
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (shape.Find(property.Name) is null)
            {
                return $"Malformed input request: #: extraneous key [{property.Name}] is not permitted, please reformat your input and try again.";
            }
        }
        if (SchemaCheck.Check(shape, root) is Violation violation)
        {
            return BedrockMessages.Invoke(violation);
        }
        string dimensionField = model.Family == EmbeddingModel.Titan ? "dimensions" : "output_dimension";
        if (root.TryGetProperty(dimensionField, out JsonElement dimension) && dimension.ValueKind == JsonValueKind.Number
            && Array.IndexOf(model.Dimensions, dimension.GetInt32()) < 0)
        {
            return BedrockMessages.Invoke(new Violation(ViolationKind.NotInEnum, [dimensionField], dimension.GetRawText()));
        }
        if (model.Family != EmbeddingModel.Titan && !root.TryGetProperty("texts", out _) && !root.TryGetProperty("images", out _) && !root.TryGetProperty("inputs", out _))
        {
            return BedrockMessages.Invoke(new Violation(ViolationKind.Missing, [], "texts"));
        }
        return null;
    }
}
