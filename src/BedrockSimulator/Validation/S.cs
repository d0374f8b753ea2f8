using System.Text.RegularExpressions;

namespace BedrockSimulator.Validation;

/// <summary>Short factories for writing schemas as tables (<c>S.Obj("Message", S.Req("role", …))</c>).</summary>
internal static class S
{
    public static Shape Any { get; } = new() { Kind = ShapeKind.Any };
    public static Shape Bool { get; } = new() { Kind = ShapeKind.Boolean };
    public static Shape Text { get; } = new() { Kind = ShapeKind.String };
    public static Shape Number { get; } = new() { Kind = ShapeKind.Number };

    /// <summary>A JSON object value (a Smithy document that must be an object, e.g. a JSON schema).</summary>
    public static Shape JsonObject { get; } = new() { Kind = ShapeKind.Map, Items = Any };

    public static Member Req(string name, Shape shape) => new(name, shape, Required: true);

    public static Member Opt(string name, Shape shape) => new(name, shape);

    public static Shape Obj(string typeName, params Member[] members) =>
        new() { Kind = ShapeKind.Object, TypeName = typeName, Members = members };

    public static Shape Union(string typeName, params Member[] members) =>
        new() { Kind = ShapeKind.Union, TypeName = typeName, Members = members };

    public static Shape Map(Shape values) => new() { Kind = ShapeKind.Map, Items = values };

    public static Shape List(Shape items, int? min = null, int? max = null) =>
        new() { Kind = ShapeKind.Array, Items = items, MinItems = min, MaxItems = max };

    public static Shape Str(int? min = null, int? max = null, string? pattern = null, bool notBlank = false) => new()
    {
        Kind = ShapeKind.String, MinLength = min, MaxLength = max, NotBlank = notBlank,
        Pattern = pattern is null ? null : new Regex(pattern, RegexOptions.CultureInvariant),
    };

    public static Shape Enum(params string[] values) => new() { Kind = ShapeKind.String, Enum = values };

    public static Shape Bytes { get; } = new() { Kind = ShapeKind.String, Base64 = true };

    public static Shape Int(double? min = null, double? max = null) => new() { Kind = ShapeKind.Integer, Minimum = min, Maximum = max };

    public static Shape Num(double? min = null, double? max = null) => new() { Kind = ShapeKind.Number, Minimum = min, Maximum = max };

    public static Shape OneOf(params Shape[] alternatives) => new() { Kind = ShapeKind.OneOf, Alternatives = alternatives };

    /// <summary>An object discriminated by <paramref name="discriminator"/> (see <see cref="Shape.Discriminator"/>).</summary>
    /// <param name="closed">True when the API fixes the list (tool_choice), false when it keeps growing (content blocks).</param>
    public static Shape Tagged(string typeName, string discriminator, IReadOnlyDictionary<string, Shape> variants, bool closed = false) => new()
    {
        Kind = ShapeKind.Object, TypeName = typeName, Discriminator = discriminator, Variants = variants,
        Members = [Req(discriminator, closed ? Enum([.. variants.Keys]) : Text)],
    };

    /// <summary>One variant of a <see cref="Tagged"/> shape: its members besides the discriminator.</summary>
    public static Shape Variant(params Member[] members) => new() { Kind = ShapeKind.Object, Members = members };
}
