using System.Text.RegularExpressions;

namespace BedrockSimulator.Validation;

/// <summary>
/// One node of a request schema, as the API references describe it: the JSON type a value must have
/// and its constraints. Built once per operation by <see cref="ConverseSchema"/>, <see cref="AnthropicSchema"/>,
/// <see cref="NovaSchema"/> and <see cref="TitanSchema"/>; checked by <see cref="SchemaCheck"/>.
/// </summary>
internal sealed class Shape
{
    public required ShapeKind Kind { get; init; }

    /// <summary>The API's name for an object type (Message, ContentBlock), used in Bedrock's messages.</summary>
    public string? TypeName { get; init; }

    /// <summary>Object members, or the members of a union (exactly one may be set).</summary>
    public IReadOnlyList<Member> Members { get; init; } = [];

    /// <summary>Array items or map values.</summary>
    public Shape? Items { get; init; }

    public int? MinItems { get; init; }
    public int? MaxItems { get; init; }
    public double? Minimum { get; init; }
    public double? Maximum { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public IReadOnlyList<string>? Enum { get; init; }
    public Regex? Pattern { get; init; }

    /// <summary>Strings only: whitespace alone is refused (Bedrock's "is blank" check on text fields).</summary>
    public bool NotBlank { get; init; }

    /// <summary>Strings only: the value must be standard base64 (a Smithy blob in JSON).</summary>
    public bool Base64 { get; init; }

    /// <summary>
    /// A discriminated object (Anthropic content blocks, tools): the member named here selects the shape
    /// from <see cref="Variants"/>; a value not listed there is accepted with only the discriminator checked,
    /// because these lists grow with every model release and the simulator must not refuse what Bedrock takes.
    /// </summary>
    public string? Discriminator { get; init; }

    public IReadOnlyDictionary<string, Shape>? Variants { get; init; }

    /// <summary>For <see cref="ShapeKind.OneOf"/>: the alternatives, tried by JSON type.</summary>
    public IReadOnlyList<Shape> Alternatives { get; init; } = [];

    public Member? Find(string name)
    {
        foreach (Member member in Members)
        {
            if (member.Name == name)
            {
                return member;
            }
        }
        return null;
    }
}
