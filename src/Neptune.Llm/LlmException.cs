namespace Neptune.Llm;

/// <summary>Why a model call failed, in terms an operator can act on; metrics count errors by this kind.</summary>
public enum LlmErrorKind
{
    /// <summary>The provider does not have the model (for Ollama: it was never pulled).</summary>
    ModelNotFound,

    /// <summary>Nothing answers at the configured address (connection refused, DNS, reset).</summary>
    Unreachable,

    /// <summary>The call took longer than its configured timeout.</summary>
    Timeout,

    /// <summary>The provider answered with a 5xx status.</summary>
    ServerError,

    /// <summary>The provider answered 2xx with a body Neptune cannot read.</summary>
    MalformedResponse,

    /// <summary>Recent calls failed so often that calls are paused for a while (circuit breaker open).</summary>
    CircuitOpen,

    /// <summary>The provider's copy of the active model is not the version Neptune pinned (its digest changed).</summary>
    ModelChanged,

    /// <summary>The request itself is wrong (empty input, unknown model name in a request, etc.).</summary>
    InvalidRequest,
}

/// <summary>
/// A model call that failed. <see cref="Exception.Message"/> says what happened and what to do about it
/// (for a missing Ollama model: the exact <c>ollama pull</c> command).
/// </summary>
public sealed class LlmException(LlmErrorKind kind, string provider, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public LlmErrorKind Kind { get; } = kind;

    /// <summary>"onnx" or "ollama".</summary>
    public string Provider { get; } = provider;
}
