namespace BedrockSimulator.Faults;

/// <summary>
/// One model call the simulator answered (a reply was generated and its answer started): what real
/// Bedrock would bill, whether or not the stream then completed. Refusals (faults before the first
/// byte, validation, signature) are not served calls.
/// </summary>
/// <param name="RequestId">The x-amzn-RequestId the answer carried.</param>
/// <param name="ModelId">The model id as it arrived (fault and sim prefixes included).</param>
/// <param name="Operation">converse, converse-stream, invoke or invoke-with-response-stream.</param>
internal sealed record ServedCall(
    string RequestId,
    string ModelId,
    string Operation,
    int InputTokens,
    int OutputTokens,
    int CacheReadInputTokens,
    int CacheWriteInputTokens);
