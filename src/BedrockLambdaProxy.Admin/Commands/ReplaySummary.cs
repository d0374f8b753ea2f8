using System.Globalization;

namespace BedrockLambdaProxy.Admin.Commands;

/// <summary>What one <c>usage replay</c> run did, line by line.</summary>
internal sealed class ReplaySummary
{
    public int Read { get; set; }
    /// <summary>Stored (or completed) and added to the monthly aggregate by this run.</summary>
    public int Written { get; set; }
    /// <summary>Unwritten-usage lines an earlier replay had applied already.</summary>
    public int AlreadyApplied { get; set; }
    /// <summary>Lines that are not unwritten-usage lines (ordinary log output).</summary>
    public int Skipped { get; set; }
    /// <summary>Unwritten-usage lines that could not be parsed or written; run again once fixed.</summary>
    public int Failed { get; set; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Lines read: {Read}; written: {Written}; already applied: {AlreadyApplied}; skipped (not unwritten usage): {Skipped}; failed: {Failed}.");
}
