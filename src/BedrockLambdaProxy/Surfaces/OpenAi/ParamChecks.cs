using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// The building blocks of <see cref="ChatParameters"/>: JSON-schema-like checks composed once at start-up, each a
/// delegate that looks only at the value it is given (no allocation unless it fails). Types and bounds are OpenAI's
/// API reference's (its OpenAPI document, <c>CreateChatCompletionRequest</c>); errors are worded by
/// <see cref="ChatRequestException"/>'s factories. Unknown members of nested objects are not refused: OpenAI adds
/// members there often, and ignoring one cannot change what Bedrock is asked.
/// </summary>
internal static partial class ParamChecks
{
    public static readonly ParamCheck Any = (_, _) => { };

    public static readonly ParamCheck Str = Kind(JsonValueKind.String, "a string");

    public static readonly ParamCheck Bool = (value, param) =>
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw ChatRequestException.WrongType(param, "a boolean", value);
        }
    };

    /// <summary>Any object (a JSON schema, a map the proxy does not read).</summary>
    public static readonly ParamCheck AnyObject = Kind(JsonValueKind.Object, "an object");

    public static readonly ParamCheck AnyArray = Kind(JsonValueKind.Array, "an array");

    public static ParamCheck Text(int maxLength) => (value, param) =>
    {
        Str(value, param);
        int length = value.GetString()!.Length;
        if (length > maxLength)
        {
            throw ChatRequestException.TooLong(param, maxLength, length);
        }
    };

    /// <summary>OpenAI's function and schema names: <c>^[a-zA-Z0-9_-]+$</c>, at most 64 characters.</summary>
    public static readonly ParamCheck Name = (value, param) =>
    {
        Str(value, param);
        int length = value.GetString()!.Length;
        if (length > 64)
        {
            throw ChatRequestException.TooLong(param, 64, length);
        }
        if (!NamePattern().IsMatch(value.GetString()!))
        {
            throw ChatRequestException.PatternMismatch(param, "^[a-zA-Z0-9_-]+$");
        }
    };

    public static ParamCheck Integer(long min, long max) => (value, param) =>
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n))
        {
            // A number too large for 64 bits is still an integer to OpenAI's reader, and still out of range.
            if (value.ValueKind == JsonValueKind.Number && !value.GetRawText().AsSpan().ContainsAny(".eE"))
            {
                throw value.GetRawText().StartsWith('-')
                    ? ChatRequestException.BelowMinimum(param, value, Format(min), integer: true)
                    : ChatRequestException.AboveMaximum(param, value, Format(max), integer: true);
            }
            throw ChatRequestException.WrongType(param, "an integer", value);
        }
        if (n < min)
        {
            throw ChatRequestException.BelowMinimum(param, value, Format(min), integer: true);
        }
        if (n > max)
        {
            throw ChatRequestException.AboveMaximum(param, value, Format(max), integer: true);
        }
    };

    public static ParamCheck Number(double min, double max) => (value, param) =>
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw ChatRequestException.WrongType(param, "a number", value);
        }
        // 1e400 does not fit a double: it is above any maximum.
        double d = value.TryGetDouble(out double parsed) ? parsed : value.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        if (d < min)
        {
            throw ChatRequestException.BelowMinimum(param, value, ChatRequestException.Invariant(min), integer: false);
        }
        if (d > max)
        {
            throw ChatRequestException.AboveMaximum(param, value, ChatRequestException.Invariant(max), integer: false);
        }
    };

    /// <summary>A string from a fixed set (OpenAI's enums).</summary>
    public static ParamCheck OneOf(params string[] allowed) => (value, param) =>
    {
        Str(value, param);
        foreach (string candidate in allowed)
        {
            if (value.ValueEquals(candidate))
            {
                return;
            }
        }
        throw ChatRequestException.NotOneOf(param, value.GetString()!, allowed);
    };

    public static ParamCheck ArrayOf(ParamCheck item, int min = 0, int max = int.MaxValue) => (value, param) =>
    {
        AnyArray(value, param);
        int count = value.GetArrayLength();
        if (count < min)
        {
            throw ChatRequestException.TooFewItems(param, min, count);
        }
        if (count > max)
        {
            throw ChatRequestException.TooManyItems(param, max, count);
        }
        if (ReferenceEquals(item, Any))
        {
            return;
        }
        int index = 0;
        foreach (JsonElement element in value.EnumerateArray())
        {
            item(element, $"{param}[{index++}]");
        }
    };

    /// <summary>An object with known members; a required member that is absent or null is missing.</summary>
    public static ParamCheck Obj(params ParamMember[] members) => (value, param) =>
    {
        AnyObject(value, param);
        foreach (ParamMember member in members)
        {
            if (value.TryGetProperty(member.Name, out JsonElement child) && child.ValueKind != JsonValueKind.Null)
            {
                member.Check(child, param + "." + member.Name);
            }
            else if (member.Required)
            {
                throw ChatRequestException.Missing(param + "." + member.Name);
            }
        }
    };

    /// <summary>An object used as a map (<c>metadata</c>, <c>logit_bias</c>): every value checked, keys bounded.</summary>
    public static ParamCheck MapOf(ParamCheck item, int maxKeys = int.MaxValue, int maxKeyLength = int.MaxValue) => (value, param) =>
    {
        AnyObject(value, param);
        int count = 0;
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (++count > maxKeys)
            {
                throw new ChatRequestException(param, $"Invalid '{param}': too many properties. Expected an object with at most {maxKeys} properties.", "object_above_max_properties");
            }
            if (property.Name.Length > maxKeyLength)
            {
                throw ChatRequestException.TooLong(param, maxKeyLength, property.Name.Length);
            }
            item(property.Value, $"{param}.{property.Name}");
        }
    };

    /// <summary>A value that may take one of two JSON kinds (<c>stop</c>: a string or an array; <c>tool_choice</c>: a string or an object).</summary>
    public static ParamCheck Either(string expected, JsonValueKind firstKind, ParamCheck first, JsonValueKind secondKind, ParamCheck second) => (value, param) =>
    {
        if (value.ValueKind == firstKind)
        {
            first(value, param);
        }
        else if (value.ValueKind == secondKind)
        {
            second(value, param);
        }
        else
        {
            throw ChatRequestException.WrongType(param, expected, value);
        }
    };

    public static ParamMember Opt(string name, ParamCheck check) => new(name, check);

    public static ParamMember Req(string name, ParamCheck check) => new(name, check, Required: true);

    private static ParamCheck Kind(JsonValueKind kind, string expected) => (value, param) =>
    {
        if (value.ValueKind != kind)
        {
            throw ChatRequestException.WrongType(param, expected, value);
        }
    };

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
