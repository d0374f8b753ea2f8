namespace BedrockSimulator.Validation;

/// <summary>The first way a request broke its schema: what, where (object names and array indexes), and the details.</summary>
internal sealed record Violation(ViolationKind Kind, IReadOnlyList<object> Path, string Detail = "", string Limit = "", string? ParentType = null, string? ItemType = null)
{
    /// <summary>The member name the path ends with, or "" at the root / an array item.</summary>
    public string Field => Path.Count > 0 && Path[^1] is string name ? name : "";
}
