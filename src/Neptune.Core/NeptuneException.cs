namespace Neptune.Core;

/// <summary>What went wrong, in terms a caller can act on; the API maps each kind to an HTTP status.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
    TooLarge,
    UnsupportedMediaType,

    /// <summary>A server Neptune depends on (object storage) did not answer; nothing was written.</summary>
    Unavailable,
}

/// <summary>An expected failure whose message tells the user what to fix. <see cref="Field"/> names the offending input, when there is one.</summary>
public sealed class NeptuneException(ErrorKind kind, string message, string? field = null) : Exception(message)
{
    public ErrorKind Kind { get; } = kind;

    public string? Field { get; } = field;

    public static NeptuneException NotFound(string what, long id) => new(ErrorKind.NotFound, $"{what} {id} does not exist.");

    public static NeptuneException Invalid(string field, string message) => new(ErrorKind.Invalid, message, field);
}
