namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>Converse <c>stopReason</c> → OpenAI <c>finish_reason</c>.</summary>
internal static class FinishReasons
{
    public static string From(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "guardrail_intervened" or "content_filtered" => "content_filter",
        // end_turn, stop_sequence, and anything newer Bedrock may add: the model stopped on its own.
        _ => "stop",
    };
}
