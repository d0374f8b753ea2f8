using BedrockSimulator.Wire;
using Microsoft.AspNetCore.Http;

namespace BedrockSimulator.Faults;

/// <summary>Acts out the faults that happen before the first byte; mid-stream faults are left to the stream player.</summary>
internal static class FaultResponder
{
    /// <summary>The account id the access-denied-role fault names (AWS's documentation example account).</summary>
    public const string SimulatedAccount = "123456789012";

    /// <summary>Returns true when the fault has answered (or hung up on) the request.</summary>
    public static async Task<bool> TryRespondAsync(SimulatorRequest request, int attempt, bool streaming)
    {
        var fault = request.Fault;
        var (status, type, message) = fault.Kind switch
        {
            FaultKind.Throttle when attempt <= fault.Count => (StatusCodes.Status429TooManyRequests, "ThrottlingException",
                $"Too many requests, please wait before trying again. (simulated, attempt {attempt} of {fault.Count} throttled)"),
            FaultKind.Validation => (StatusCodes.Status400BadRequest, "ValidationException", "Simulated validation failure."),
            FaultKind.AccessDenied => (StatusCodes.Status403Forbidden, "AccessDeniedException",
                "You don't have access to the model with the specified model ID."),
            // The shape of IAM's denial; the account and role are the simulator's fixed, made-up ones.
            FaultKind.AccessDeniedRole => (StatusCodes.Status403Forbidden, "AccessDeniedException",
                $"User: arn:aws:sts::{SimulatedAccount}:assumed-role/proxy-stack-ProxyFunctionRole-1A2B3C/proxy-stack-ProxyFunction-4D5E6F "
                + $"is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/{request.ModelId} "
                + "because no identity-based policy allows the bedrock:InvokeModel action"),
            FaultKind.NotFound => (StatusCodes.Status404NotFound, "ResourceNotFoundException", "The model could not be found."),
            FaultKind.ModelTimeout => (StatusCodes.Status408RequestTimeout, "ModelTimeoutException",
                "Model has timed out in processing the request."),
            FaultKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "ServiceUnavailableException",
                "The service is temporarily unable to handle the request."),
            FaultKind.NotReady => (StatusCodes.Status429TooManyRequests, "ModelNotReadyException", "The model is not ready to serve inference requests."),
            FaultKind.InternalError => (StatusCodes.Status500InternalServerError, "InternalServerException", "Simulated internal server error."),
            // A unary call has no stream to break: fail-after answers as the server error it stands for.
            FaultKind.FailAfter when !streaming => (StatusCodes.Status500InternalServerError, "InternalServerException",
                "Simulated failure (fail-after on a unary call)."),
            _ => (0, string.Empty, string.Empty),
        };

        if (status != 0)
        {
            await AwsResponses.WriteErrorAsync(request.Context, status, type, message, request.Aborted);
            return true;
        }

        if (fault.Kind == FaultKind.Hang || (fault.Kind == FaultKind.HangAfter && !streaming))
        {
            await request.HangAsync();
            return true;
        }

        return false;
    }
}
