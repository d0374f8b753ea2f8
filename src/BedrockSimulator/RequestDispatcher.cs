using System.Text.Json;
using BedrockSimulator.Auth;
using BedrockSimulator.Faults;
using BedrockSimulator.Scripts;
using BedrockSimulator.Surfaces;
using BedrockSimulator.Validation;
using BedrockSimulator.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BedrockSimulator;

/// <summary>
/// The single request delegate: reads the raw target (so an encoded model id stays one segment), verifies the
/// signature, applies faults, and hands the request to the Converse, InvokeModel or CountTokens surface.
/// </summary>
internal sealed class RequestDispatcher(SimulatorOptions options, RequestLedger ledger, CancellationToken serverStopping)
{
    private const int MaxBodyBytes = 32 * 1024 * 1024;

    private readonly SigV4Verifier _verifier = new(options);
    private readonly PromptCache _promptCache = new();

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        AwsResponses.AddRequestId(context, Guid.NewGuid().ToString());
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryAt = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryAt < 0 ? rawTarget : rawTarget[..queryAt];
        var rawQuery = queryAt < 0 ? string.Empty : rawTarget[queryAt..];

        if (rawPath == ControlEndpoint.Path)
        {
            await ControlEndpoint.HandleAsync(context, ledger, ct);
            return;
        }

        var segments = rawPath.Split('/');
        if (segments.Length != 4 || segments[0].Length != 0 || segments[1] != "model" || segments[2].Length == 0
            || !HttpMethods.IsPost(context.Request.Method)
            || segments[3] is not ("invoke" or "invoke-with-response-stream" or "converse" or "converse-stream" or "count-tokens"))
        {
            await AwsResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "UnknownOperationException",
                $"No Bedrock Runtime operation at {context.Request.Method} {rawPath}.", ct);
            return;
        }

        var body = await ReadBodyAsync(context, ct);
        if (body is null)
        {
            await AwsResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "ValidationException",
                "The request body is too large.", ct);
            return;
        }

        var auth = _verifier.Verify(context.Request.Method, rawPath, rawQuery, context.Request.Headers, body);
        if (!auth.Accepted)
        {
            var status = auth.ErrorType == "IncompleteSignatureException" ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden;
            await AwsResponses.WriteErrorAsync(context, status, auth.ErrorType, auth.Message, ct);
            return;
        }

        var operation = segments[3];
        ledger.RecordModel(Uri.UnescapeDataString(segments[2]));
        // fault.<spec>. comes first, then sim.<shaping>., then the model id that decides the answer's format.
        var (modelFault, shapedModelId) = FaultSpec.SplitModelId(Uri.UnescapeDataString(segments[2]));
        var headerFault = context.Request.Headers[SimulatorHeaders.Fault].ToString();
        if (!FaultSpec.TryParse(headerFault.Length > 0 ? headerFault : modelFault ?? options.InstanceFault.Text, out var fault, out var faultError)
            || !ModelIdShaping.TrySplit(shapedModelId, out var shaping, out var modelId, out faultError)
            || !PlaybackSettings.TryRead(context.Request.Headers, shaping, options, out var playback, out faultError))
        {
            await ValidationAsync(context, faultError, ct);
            return;
        }

        var key = context.Request.Headers[SimulatorHeaders.RequestKey].ToString();
        var attempt = ledger.Record(key.Length > 0 ? key : RequestKeys.FromBody(operation, modelId, body));
        var request = new SimulatorRequest(context, modelId, fault, playback, options.TimeProvider, serverStopping);
        if (await FaultResponder.TryRespondAsync(request, attempt, streaming: operation.EndsWith("stream", StringComparison.Ordinal)))
        {
            return;
        }

        JsonDocument document;
        // System.Text.Json checks UTF-8 only when a string is decoded; Bedrock refuses such a body outright.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            await ValidationAsync(context, "Malformed input request, please reformat your input and try again.", ct);
            return;
        }

        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await ValidationAsync(context, "Malformed input request, please reformat your input and try again.", ct);
            return;
        }

        using (document)
        {
            await DispatchAsync(request, operation, document.RootElement, Uri.UnescapeDataString(segments[2]), attempt);
        }
    }

    /// <param name="attempt">The attempt number of this request key, for a fault named in the body.</param>
    private async Task DispatchAsync(SimulatorRequest request, string operation, JsonElement root, string arrivedModelId, int attempt)
    {
        var ct = request.Aborted;
        if (operation == "count-tokens")
        {
            await CountTokensSurface.AnswerAsync(request, root);
            return;
        }

        if (operation.StartsWith("converse", StringComparison.Ordinal))
        {
            if (EmbeddingModel.Of(request.ModelId) is not null)
            {
                // Bedrock's answer for Converse on a model that does not chat.
                await ValidationAsync(request.Context,
                    "This action doesn't support the model that you provided. Try again with a supported text or chat model.", ct);
                return;
            }
            if (RequestValidator.Converse(root) is { } invalid)
            {
                await ValidationAsync(request.Context, invalid, ct);
                return;
            }
            if (ConverseScript.Build(root, request.Playback, out var error) is not { } scripted)
            {
                await ValidationAsync(request.Context, error, ct);
                return;
            }

            var reply = _promptCache.Apply(request.ModelId, root, scripted);
            RecordServed(request, operation, arrivedModelId, reply);
            if (operation == "converse")
            {
                await ConverseSurface.UnaryAsync(request, reply);
            }
            else
            {
                await ConverseSurface.StreamAsync(request, reply, options);
            }

            return;
        }

        if (EmbeddingModel.Of(request.ModelId) is { } embedding)
        {
            await EmbedAsync(request, operation, root, arrivedModelId, embedding, attempt);
            return;
        }

        if (NativeFormat.Select(request.ModelId, root) is not { } format)
        {
            await ValidationAsync(request.Context,
                "Malformed input request: the simulator understands Anthropic Messages, Titan inputText and Nova messages bodies.", ct);
            return;
        }

        if (RequestValidator.Invoke(format, root) is { } invalidBody)
        {
            await ValidationAsync(request.Context, invalidBody, ct);
            return;
        }
        if (format.BuildReply(root, request.Playback, out var formatError) is not { } scriptedNative)
        {
            await ValidationAsync(request.Context, formatError, ct);
            return;
        }

        var nativeReply = _promptCache.Apply(request.ModelId, root, scriptedNative);
        RecordServed(request, operation, arrivedModelId, nativeReply);
        if (operation == "invoke")
        {
            await InvokeSurface.UnaryAsync(request, format, nativeReply);
        }
        else
        {
            await InvokeSurface.StreamAsync(request, format, nativeReply, options);
        }
    }

    /// <summary>
    /// Embedding models answer InvokeModel only; Bedrock refuses a stream for them ("doesn't support streaming"). A text
    /// <c>fault.&lt;spec&gt;</c> acts out that fault on this call alone (the other calls of the same embeddings request are
    /// answered): the model id cannot carry it, since the proxy must still recognise the embedding model.
    /// </summary>
    private async Task EmbedAsync(SimulatorRequest request, string operation, JsonElement root, string arrivedModelId, EmbeddingModel model, int attempt)
    {
        if (operation != "invoke")
        {
            await ValidationAsync(request.Context, "The model is unsupported for streaming.", request.Aborted);
            return;
        }
        if (EmbeddingSchema.Check(model, root) is { } invalid)
        {
            await ValidationAsync(request.Context, invalid, request.Aborted);
            return;
        }
        if (EmbeddingSurface.TextFault(model, root) is string faultText)
        {
            if (!FaultSpec.TryParse(faultText, out FaultSpec textFault, out string faultError))
            {
                await ValidationAsync(request.Context, faultError, request.Aborted);
                return;
            }
            if (await FaultResponder.TryRespondAsync(request.WithFault(textFault), attempt, streaming: false))
            {
                return;
            }
        }
        int inputTokens = EmbeddingSurface.InputTokens(model, root);
        ledger.RecordServed(new ServedCall(
            request.Context.Response.Headers[AwsResponses.RequestIdHeader].ToString(), arrivedModelId, operation, inputTokens, 0, 0, 0));
        await EmbeddingSurface.AnswerAsync(request, model, root, inputTokens);
    }

    private void RecordServed(SimulatorRequest request, string operation, string arrivedModelId, ScriptedReply reply) =>
        ledger.RecordServed(new ServedCall(
            request.Context.Response.Headers[AwsResponses.RequestIdHeader].ToString(),
            arrivedModelId,
            operation,
            reply.InputTokens,
            reply.OutputTokens,
            reply.CacheReadInputTokens,
            reply.CacheWriteInputTokens));

    private static Task ValidationAsync(HttpContext context, string message, CancellationToken ct) =>
        AwsResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "ValidationException", message, ct);

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
