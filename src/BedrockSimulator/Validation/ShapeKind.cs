namespace BedrockSimulator.Validation;

/// <summary>The JSON kinds a <see cref="Shape"/> can demand.</summary>
internal enum ShapeKind
{
    /// <summary>Any JSON value (a Smithy document, e.g. a tool's input).</summary>
    Any,
    Object,
    /// <summary>A Smithy union: an object with exactly one of its members set.</summary>
    Union,
    /// <summary>An object whose keys are free and whose values share one shape.</summary>
    Map,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    /// <summary>One of several shapes of different JSON types (Anthropic's string-or-blocks content).</summary>
    OneOf,
}
