namespace BedrockLambdaProxy.Limits;

/// <summary>
/// Admission refused a request whose Bedrock call was already under way (see <see cref="AdmissionGate"/>);
/// the pipeline answers the refusal, exactly as if admission had decided first.
/// </summary>
internal sealed class AdmissionRefusedException(AdmissionDecision decision)
    : Exception($"The request was not admitted ({decision.Status}).")
{
    public AdmissionDecision Decision { get; } = decision;
}
