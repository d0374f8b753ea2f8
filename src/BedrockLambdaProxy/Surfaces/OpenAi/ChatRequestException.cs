using System.Globalization;
using System.Text.Json;
using BedrockLambdaProxy.Routing;

namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>
/// A chat request the proxy will not translate: the field at fault (OpenAI's <c>param</c>) and why.
/// Thrown inside the translator so each check stays one line; turned into a 400 at its edge. The factories word
/// the errors as OpenAI's API does (message and <c>code</c>), so clients that match on them see no difference.
/// </summary>
internal sealed class ChatRequestException(string param, string message, string code = "invalid_value") : Exception(message)
{
    public string Param { get; } = param;

    public string Code { get; } = code;

    /// <param name="expected">With its article: "an integer", "a string", "an object", …</param>
    public static ChatRequestException WrongType(string param, string expected, JsonElement actual) =>
        new(param, $"Invalid type for '{param}': expected {expected}, but got {Describe(actual)} instead.", "invalid_type");

    public static ChatRequestException Missing(string param) =>
        new(param, $"Missing required parameter: '{param}'.", "missing_required_parameter");

    public static ChatRequestException NotOneOf(string param, string value, IReadOnlyList<string> allowed) =>
        new(param, $"Invalid value: '{value}'. Supported values are: {Listing(allowed)}.");

    public static ChatRequestException AboveMaximum(string param, JsonElement value, string maximum, bool integer) =>
        new(param, $"Invalid '{param}': {(integer ? "integer" : "decimal")} above maximum value. Expected a value <= {maximum}, but got {value.GetRawText()} instead.",
            integer ? "integer_above_max_value" : "decimal_above_max_value");

    public static ChatRequestException BelowMinimum(string param, JsonElement value, string minimum, bool integer) =>
        new(param, $"Invalid '{param}': {(integer ? "integer" : "decimal")} below minimum value. Expected a value >= {minimum}, but got {value.GetRawText()} instead.",
            integer ? "integer_below_min_value" : "decimal_below_min_value");

    public static ChatRequestException TooFewItems(string param, int minimum, int count) => count == 0
        ? new(param, $"Invalid '{param}': empty array. Expected an array with minimum length {minimum}, but got an empty array instead.", "empty_array")
        : new(param, $"Invalid '{param}': array too short. Expected an array with minimum length {minimum}, but got an array with length {count} instead.", "array_below_min_length");

    public static ChatRequestException TooManyItems(string param, int maximum, int count) =>
        new(param, $"Invalid '{param}': array too long. Expected an array with maximum length {maximum}, but got an array with length {count} instead.", "array_above_max_length");

    public static ChatRequestException TooLong(string param, int maximum, int length) =>
        new(param, $"Invalid '{param}': string too long. Expected a string with maximum length {maximum}, but got a string with length {length} instead.", "string_above_max_length");

    public static ChatRequestException PatternMismatch(string param, string pattern) =>
        new(param, $"Invalid '{param}': string does not match pattern. Expected a string that matches the pattern '{pattern}'.");

    /// <summary>A parameter OpenAI knows that the proxy refuses by name (it cannot honour it on Bedrock).</summary>
    public static ChatRequestException Unsupported(string param, string why) => new(param, why, "unsupported_parameter");

    /// <summary>How OpenAI names a JSON value's type in its errors.</summary>
    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a decimal number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };

    // OpenAI's own listing: 'a', 'b', and 'c'.
    private static string Listing(IReadOnlyList<string> values) => values.Count switch
    {
        1 => $"'{values[0]}'",
        2 => $"'{values[0]}' and '{values[1]}'",
        _ => string.Join(", ", values.Take(values.Count - 1).Select(v => $"'{v}'")) + $", and '{values[^1]}'",
    };

    internal static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The 400 OpenAI answers: the message, the <c>param</c> and the <c>code</c>.</summary>
    public ApiError ToApiError() => ApiError.BadRequest(Message) with { Param = Param, Code = Code };

    /// <summary>
    /// The 400 for a string whose escapes decode to no valid text (a lone surrogate such as "\ud800"): JsonElement.GetString
    /// throws InvalidOperationException for it, and every other JsonElement access of a reader is guarded by a kind check.
    /// </summary>
    public static ApiError InvalidUnicode { get; } = ApiError.BadRequest("The request holds a string whose escape sequences are not valid Unicode text.");
}
