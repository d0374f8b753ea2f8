using System.Globalization;
using System.Text.Json;

namespace BedrockSimulator.Validation;

/// <summary>Walks a JSON value against a <see cref="Shape"/> and returns the first <see cref="Violation"/>, or null.</summary>
internal static class SchemaCheck
{
    /// <summary>Smithy's Integer is 32-bit; a larger value fails like any other out-of-range one.</summary>
    private const double IntegerBound = int.MaxValue;

    public static Violation? Check(Shape shape, JsonElement value) => Check(shape, value, [], null);

    private static Violation? Check(Shape shape, JsonElement value, List<object> path, string? parentType)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Any:
                return null;
            case ShapeKind.OneOf:
                foreach (Shape alternative in shape.Alternatives)
                {
                    if (Accepts(alternative.Kind, value.ValueKind))
                    {
                        return Check(alternative, value, path, parentType);
                    }
                }
                return Fail(ViolationKind.WrongType, path, parentType,
                    string.Join(" or ", shape.Alternatives.Select(a => TypeName(a.Kind))), Found(value));
        }
        if (!Accepts(shape.Kind, value.ValueKind))
        {
            return Fail(ViolationKind.WrongType, path, parentType, TypeName(shape.Kind), Found(value));
        }
        return shape.Kind switch
        {
            ShapeKind.Object => CheckObject(shape, value, path),
            ShapeKind.Union => CheckUnion(shape, value, path),
            ShapeKind.Map => CheckMap(shape, value, path, parentType),
            ShapeKind.Array => CheckArray(shape, value, path, parentType),
            ShapeKind.String => CheckString(shape, value, path, parentType),
            ShapeKind.Integer or ShapeKind.Number => CheckNumber(shape, value, path, parentType),
            _ => null,
        };
    }

    private static Violation? CheckObject(Shape shape, JsonElement value, List<object> path)
    {
        IReadOnlyList<Member> members = shape.Members;
        if (shape.Discriminator is string tag && value.TryGetProperty(tag, out JsonElement kind)
            && kind.ValueKind == JsonValueKind.String && shape.Variants!.TryGetValue(kind.GetString()!, out Shape? variant))
        {
            members = [.. shape.Members, .. variant.Members];
        }
        foreach (Member member in members)
        {
            bool present = value.TryGetProperty(member.Name, out JsonElement child) && child.ValueKind != JsonValueKind.Null;
            if (!present)
            {
                if (member.Required)
                {
                    return new Violation(ViolationKind.Missing, [.. path], member.Name, ParentType: shape.TypeName);
                }
                continue;
            }
            if (Nested(member, child, path, shape.TypeName) is Violation violation)
            {
                return violation;
            }
        }
        return null;
    }

    private static Violation? CheckUnion(Shape shape, JsonElement value, List<object> path)
    {
        var set = new List<string>();
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                set.Add(property.Name);
            }
        }
        Member? only = set.Count == 1 ? shape.Find(set[0]) : null;
        if (only is null)
        {
            return new Violation(ViolationKind.NotOneMember, [.. path], string.Join(", ", set),
                string.Join(", ", shape.Members.Select(m => m.Name)), shape.TypeName);
        }
        return Nested(only, value.GetProperty(only.Name), path, shape.TypeName);
    }

    private static Violation? CheckMap(Shape shape, JsonElement value, List<object> path, string? parentType)
    {
        foreach (JsonProperty property in value.EnumerateObject())
        {
            path.Add(property.Name);
            Violation? violation = Check(shape.Items!, property.Value, path, parentType);
            path.RemoveAt(path.Count - 1);
            if (violation is not null)
            {
                return violation;
            }
        }
        return null;
    }

    private static Violation? CheckArray(Shape shape, JsonElement value, List<object> path, string? parentType)
    {
        int count = value.GetArrayLength();
        if (count < shape.MinItems)
        {
            return Fail(ViolationKind.TooFewItems, path, parentType, Invariant(count), Invariant(shape.MinItems.Value), shape.Items!.TypeName);
        }
        if (count > shape.MaxItems)
        {
            return Fail(ViolationKind.TooManyItems, path, parentType, Invariant(count), Invariant(shape.MaxItems.Value));
        }
        int index = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            path.Add(index++);
            Violation? violation = Check(shape.Items!, item, path, parentType);
            path.RemoveAt(path.Count - 1);
            if (violation is not null)
            {
                return violation;
            }
        }
        return null;
    }

    private static Violation? CheckString(Shape shape, JsonElement value, List<object> path, string? parentType)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape ("\ud800") decodes to no text at all.
            return Fail(ViolationKind.WrongType, path, parentType, "String", "invalid Unicode escape");
        }
        if (shape.Enum is { } allowed && !allowed.Contains(text))
        {
            return Fail(ViolationKind.NotInEnum, path, parentType, text, string.Join(", ", allowed));
        }
        if (text.Length < shape.MinLength)
        {
            return Fail(ViolationKind.TooShort, path, parentType, Invariant(text.Length), Invariant(shape.MinLength.Value));
        }
        if (text.Length > shape.MaxLength)
        {
            return Fail(ViolationKind.TooLong, path, parentType, Invariant(text.Length), Invariant(shape.MaxLength.Value));
        }
        if (shape.NotBlank && string.IsNullOrWhiteSpace(text))
        {
            return Fail(ViolationKind.Blank, path, parentType, text, "");
        }
        if (shape.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            return Fail(ViolationKind.PatternMismatch, path, parentType, text, pattern.ToString());
        }
        if (shape.Base64 && !IsBase64(text))
        {
            return Fail(ViolationKind.NotBase64, path, parentType, text, "");
        }
        return null;
    }

    private static Violation? CheckNumber(Shape shape, JsonElement value, List<object> path, string? parentType)
    {
        string raw = value.GetRawText();
        bool finite = value.TryGetDouble(out double number) && double.IsFinite(number);
        if (shape.Kind == ShapeKind.Integer && finite && number != Math.Floor(number))
        {
            return Fail(ViolationKind.WrongType, path, parentType, "Integer", "Number");
        }
        double? maximum = shape.Kind == ShapeKind.Integer ? Math.Min(shape.Maximum ?? IntegerBound, IntegerBound) : shape.Maximum;
        double? minimum = shape.Kind == ShapeKind.Integer ? Math.Max(shape.Minimum ?? -IntegerBound - 1, -IntegerBound - 1) : shape.Minimum;
        // 1e400 does not fit a double: it is above any maximum (or below any minimum when negative).
        if (!finite)
        {
            bool negative = raw.StartsWith('-');
            return Fail(negative ? ViolationKind.BelowMinimum : ViolationKind.AboveMaximum, path, parentType, raw,
                Invariant(negative ? minimum ?? double.MinValue : maximum ?? double.MaxValue));
        }
        if (number < minimum)
        {
            return Fail(ViolationKind.BelowMinimum, path, parentType, raw, Invariant(minimum.Value));
        }
        if (number > maximum)
        {
            return Fail(ViolationKind.AboveMaximum, path, parentType, raw, Invariant(maximum.Value));
        }
        return null;
    }

    private static Violation? Nested(Member member, JsonElement child, List<object> path, string? typeName)
    {
        path.Add(member.Name);
        Violation? violation = Check(member.Shape, child, path, typeName);
        path.RemoveAt(path.Count - 1);
        return violation;
    }

    private static Violation Fail(ViolationKind kind, List<object> path, string? parentType, string detail, string limit, string? itemType = null) =>
        new(kind, [.. path], detail, limit, parentType, itemType);

    private static bool Accepts(ShapeKind kind, JsonValueKind value) => kind switch
    {
        ShapeKind.Any => true,
        ShapeKind.Object or ShapeKind.Union or ShapeKind.Map => value == JsonValueKind.Object,
        ShapeKind.Array => value == JsonValueKind.Array,
        ShapeKind.String => value == JsonValueKind.String,
        ShapeKind.Integer or ShapeKind.Number => value == JsonValueKind.Number,
        ShapeKind.Boolean => value is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };

    private static bool IsBase64(string text)
    {
        if (text.Length % 4 != 0)
        {
            return false;
        }
        byte[] buffer = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    /// <summary>The type names of the JSON-schema validator Bedrock runs on InvokeModel bodies.</summary>
    internal static string TypeName(ShapeKind kind) => kind switch
    {
        ShapeKind.Object or ShapeKind.Union or ShapeKind.Map => "JSONObject",
        ShapeKind.Array => "JSONArray",
        ShapeKind.String => "String",
        ShapeKind.Integer => "Integer",
        ShapeKind.Number => "Number",
        ShapeKind.Boolean => "Boolean",
        _ => "any",
    };

    private static string Found(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "JSONObject",
        JsonValueKind.Array => "JSONArray",
        JsonValueKind.String => "String",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "Integer" : "Number",
        JsonValueKind.True or JsonValueKind.False => "Boolean",
        _ => "Null",
    };

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
