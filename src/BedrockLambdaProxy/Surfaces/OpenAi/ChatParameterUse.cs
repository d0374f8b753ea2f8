namespace BedrockLambdaProxy.Surfaces.OpenAi;

/// <summary>What the proxy does with a chat completion parameter once its type is known to be right.</summary>
internal enum ChatParameterUse
{
    /// <summary>Translated into the Converse request (or read by the proxy: <c>model</c>, <c>stream</c>).</summary>
    Translated,

    /// <summary>Accepted and ignored: it labels, stores or tunes the request but never changes what the model is asked.</summary>
    Ignored,

    /// <summary>Accepted only at its neutral value (<c>n</c> 1, penalties 0, …); any other value is refused by name.</summary>
    NeutralOnly,

    /// <summary>Meaningful, but with no Converse equivalent: any non-null value is refused by name.</summary>
    Refused,
}
