namespace BedrockSimulator.Validation;

/// <summary>A named member of an object or union shape.</summary>
internal sealed record Member(string Name, Shape Shape, bool Required = false);
