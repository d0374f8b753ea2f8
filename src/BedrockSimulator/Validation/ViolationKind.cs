namespace BedrockSimulator.Validation;

/// <summary>The kinds of schema violation, each with its own wording in <see cref="BedrockMessages"/>.</summary>
internal enum ViolationKind
{
    /// <summary>A required member is absent or null (Detail: member name; Path: its parent).</summary>
    Missing,
    /// <summary>Detail: the expected JSON type; Limit: the type found.</summary>
    WrongType,
    /// <summary>Detail: the value; Limit: the allowed values.</summary>
    NotInEnum,
    BelowMinimum,
    AboveMaximum,
    TooShort,
    TooLong,
    TooFewItems,
    TooManyItems,
    PatternMismatch,
    NotBase64,
    Blank,
    /// <summary>A union with none or several of its members set (Detail: the members set; Limit: the allowed ones).</summary>
    NotOneMember,
}
