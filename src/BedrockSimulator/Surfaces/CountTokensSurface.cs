using System.Text.Json;
using BedrockSimulator.Scripts;
using BedrockSimulator.Validation;
using BedrockSimulator.Wire;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator.Surfaces;

/// <summary>
/// CountTokens (<c>POST /model/{modelId}/count-tokens</c>): <c>{"input":{"invokeModel":{"body":"&lt;base64&gt;"}}}</c>
/// or <c>{"input":{"converse":{…}}}</c> → <c>{"inputTokens":N}</c>, where N is the input tokens the same request
/// would be charged by InvokeModel or Converse (the token rules, cache ignored). Nothing is generated.
/// </summary>
internal static class CountTokensSurface
{
    public static Task AnswerAsync(SimulatorRequest request, JsonElement root)
    {
        var ct = request.Aborted;
        if (!TryCount(request, root, out var tokens, out var error))
        {
            return AwsResponses.WriteErrorAsync(request.Context, StatusCodes.Status400BadRequest, "ValidationException", error, ct);
        }

        return AwsResponses.WriteJsonAsync(request.Context, JsonBytes.Write(w => w.WriteNumber("inputTokens", tokens)), ct);
    }

    private static bool TryCount(SimulatorRequest request, JsonElement root, out int tokens, out string error)
    {
        tokens = 0;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
        {
            error = "input: required, with exactly one of invokeModel or converse.";
            return false;
        }

        var hasInvoke = input.TryGetProperty("invokeModel", out var invoke);
        var hasConverse = input.TryGetProperty("converse", out var converse);
        if (hasInvoke == hasConverse)
        {
            error = "input: exactly one of invokeModel or converse is required.";
            return false;
        }

        // CountTokens validates the body as the operation it stands for would (a body Converse or InvokeModel would
        // refuse is a ValidationException here too), so a translation that only counts is held to the same rules.
        if (hasConverse)
        {
            if (RequestValidator.Converse(converse) is { } invalid)
            {
                error = invalid;
                return false;
            }
            return Tokens(ConverseScript.Build(converse, request.Playback, out error), out tokens);
        }

        if (invoke.ValueKind != JsonValueKind.Object || !invoke.TryGetProperty("body", out var body)
            || body.ValueKind != JsonValueKind.String || !body.TryGetBytesFromBase64(out var bytes))
        {
            error = "input.invokeModel.body: required, the base64-encoded InvokeModel request body.";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (NativeFormat.Select(request.ModelId, document.RootElement) is not { } format)
            {
                error = "input.invokeModel.body: not a request body this model accepts.";
                return false;
            }
            if (RequestValidator.Invoke(format, document.RootElement) is { } invalidBody)
            {
                error = invalidBody;
                return false;
            }

            return Tokens(format.BuildReply(document.RootElement, request.Playback, out error), out tokens);
        }
        catch (JsonException)
        {
            error = "input.invokeModel.body: not JSON.";
            return false;
        }
    }

    private static bool Tokens(ScriptedReply? reply, out int tokens)
    {
        tokens = reply?.InputTokens ?? 0;
        return reply is not null;
    }
}
