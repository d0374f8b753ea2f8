using System.Text;

namespace BedrockSimulator.Validation;

/// <summary>
/// Words a <see cref="Violation"/> the way Bedrock does. Converse answers in two voices, both seen from the
/// real service: Smithy constraint errors with 1-based member paths ("1 validation error detected: Value
/// 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set:
/// [user, assistant]") and sentences with 0-based paths ("The text field in the ContentBlock object at
/// messages.15.content.0 is blank. Add text to the text field, and try again."; "The format of the value at
/// toolConfig.tools.0.toolSpec.inputSchema.json is invalid. Provide a json object for the field and try
/// again."). InvokeModel bodies are checked against the model's JSON schema before the model sees them:
/// "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again."
/// </summary>
internal static class BedrockMessages
{
    private const string Smithy = "1 validation error detected: ";

    public static string Converse(Violation v)
    {
        string at = Plain(v.Path);
        return v.Kind switch
        {
            ViolationKind.Missing => Smithy + $"Value null at '{SmithyPath(v.Path, v.Detail)}' failed to satisfy constraint: Member must not be null",
            ViolationKind.WrongType => $"The format of the value at {at} is invalid. Provide {Article(v.Detail)} for the field and try again.",
            ViolationKind.NotBase64 => $"The format of the value at {at} is invalid. Provide base64-encoded bytes for the field and try again.",
            ViolationKind.NotInEnum => Constraint(v, $"Member must satisfy enum value set: [{v.Limit}]"),
            ViolationKind.BelowMinimum => Constraint(v, $"Member must have value greater than or equal to {v.Limit}"),
            ViolationKind.AboveMaximum => Constraint(v, $"Member must have value less than or equal to {v.Limit}"),
            ViolationKind.TooShort => Constraint(v, $"Member must have length greater than or equal to {v.Limit}"),
            ViolationKind.TooLong => Constraint(v, $"Member must have length less than or equal to {v.Limit}"),
            ViolationKind.TooManyItems => Constraint(v, $"Member must have length less than or equal to {v.Limit}"),
            ViolationKind.TooFewItems when v.ParentType is not null && v.ItemType is not null && v.Path.Count > 1 =>
                $"The {v.Field} field in the {v.ParentType} object at {Plain(v.Path.Take(v.Path.Count - 1).ToList())} is empty. "
                + $"Add {Article(v.ItemType)} object to the {v.Field} field and try again.",
            ViolationKind.TooFewItems => Constraint(v, $"Member must have length greater than or equal to {v.Limit}"),
            ViolationKind.PatternMismatch => Constraint(v, $"Member must satisfy regular expression pattern: {v.Limit}"),
            ViolationKind.Blank =>
                $"The {v.Field} field in the {v.ParentType ?? "request"} object at {Plain(v.Path.Take(v.Path.Count - 1).ToList())} is blank. "
                + $"Add text to the {v.Field} field, and try again.",
            ViolationKind.NotOneMember => v.Detail.Length == 0
                ? $"The {v.ParentType} object at {at} has no member set. Set exactly one of: {v.Limit}, and try again."
                : $"The {v.ParentType} object at {at} sets {v.Detail}; set exactly one of: {v.Limit}, and try again.",
            _ => "Malformed input request, please reformat your input and try again.",
        };
    }

    public static string Invoke(Violation v)
    {
        string at = Pointer(v.Path);
        string problem = v.Kind switch
        {
            ViolationKind.Missing => $"{at}: required key [{v.Detail}] not found",
            ViolationKind.WrongType => $"{at}: expected type: {v.Detail}, found: {v.Limit}",
            ViolationKind.NotBase64 => $"{at}: string is not valid base64",
            ViolationKind.NotInEnum => $"{at}: {v.Detail} is not a valid enum value",
            ViolationKind.BelowMinimum => $"{at}: {v.Detail} is not greater or equal to {v.Limit}",
            ViolationKind.AboveMaximum => $"{at}: {v.Detail} is not less or equal to {v.Limit}",
            ViolationKind.TooShort => $"{at}: expected minLength: {v.Limit}, actual: {v.Detail}",
            ViolationKind.TooLong => $"{at}: expected maxLength: {v.Limit}, actual: {v.Detail}",
            ViolationKind.TooFewItems => $"{at}: expected minimum item count: {v.Limit}, found: {v.Detail}",
            ViolationKind.TooManyItems => $"{at}: expected maximum item count: {v.Limit}, found: {v.Detail}",
            ViolationKind.PatternMismatch => $"{at}: string [{v.Detail}] does not match pattern {v.Limit}",
            ViolationKind.Blank => $"{at}: text content blocks must contain non-whitespace text",
            ViolationKind.NotOneMember => $"{at}: expected exactly one of [{v.Limit}], found: [{v.Detail}]",
            _ => at,
        };
        return $"Malformed input request: {problem}, please reformat your input and try again.";
    }

    private static string Constraint(Violation v, string rule) =>
        Smithy + $"Value '{Shorten(v.Detail)}' at '{SmithyPath(v.Path, null)}' failed to satisfy constraint: {rule}";

    /// <summary>Smithy's path: names joined by '.', list items 1-based followed by "member".</summary>
    private static string SmithyPath(IReadOnlyList<object> path, string? last)
    {
        var builder = new StringBuilder();
        foreach (object segment in last is null ? path : [.. path, last])
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }
            builder.Append(segment is int index ? $"{index + 1}.member" : segment);
        }
        return builder.ToString();
    }

    private static string Plain(IReadOnlyList<object> path) => path.Count == 0 ? "the request" : string.Join('.', path);

    private static string Pointer(IReadOnlyList<object> path) => path.Count == 0 ? "#" : "#/" + string.Join('/', path);

    private static string Article(string noun) => noun switch
    {
        "Integer" => "an integer",
        "Number" => "a number",
        "String" => "a string",
        "Boolean" => "a boolean",
        "JSONObject" => "a json object",
        "JSONArray" => "a list",
        _ => (noun.Length > 0 && "AEIOU".Contains(noun[0]) ? "an " : "a ") + noun,
    };

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
