using System.Text.RegularExpressions;

namespace BedrockLambdaProxy.Bedrock;

/// <summary>
/// Removes the operator's AWS identifiers from a Bedrock message before a caller sees it. An IAM
/// denial names the function's role and account ("User: arn:aws:sts::123456789012:assumed-role/…
/// is not authorized to perform: bedrock:InvokeModel on resource: …"): useful to the operator, who
/// finds the whole message in the function's log, and none of the caller's business.
/// </summary>
internal static partial class AwsIdentifierScrubber
{
    public const string RedactedArn = "(ARN redacted)";
    public const string RedactedAccount = "(account redacted)";

    /// <summary>The message with every ARN that names an account replaced, and any other 12-digit account id.</summary>
    /// <remarks>
    /// An ARN without an account (a foundation model's: arn:aws:bedrock:us-east-1::foundation-model/…)
    /// names only AWS's own resource and stays, so the caller still learns which model was refused.
    /// </remarks>
    public static string Scrub(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string withoutArns = Arn().Replace(message, m => m.Groups["account"].Length == 0 ? m.Value : RedactedArn);
        return AccountId().Replace(withoutArns, RedactedAccount);
    }

    // arn:partition:service:region:account:resource; the resource runs to whitespace, a quote or
    // the punctuation that ends it in a sentence (a trailing '.' is left out of it).
    [GeneratedRegex(@"arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(?<account>[0-9]*):[^\s""'<>(),;]*[^\s""'<>(),;.]", RegexOptions.CultureInvariant)]
    private static partial Regex Arn();

    [GeneratedRegex(@"(?<![0-9])[0-9]{12}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();
}
