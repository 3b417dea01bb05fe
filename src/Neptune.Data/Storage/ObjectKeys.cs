using System.Text.RegularExpressions;

namespace Neptune.Data.Storage;

/// <summary>
/// Object keys under one store's prefix. Keys are built from SHA-256 digests only, never from a name or path a user
/// chose, so no crafted name ("../", "/etc", "%2e%2e", look-alike dots) can reach another prefix; <see cref="Require"/>
/// checks every key again before it is sent.
/// </summary>
public sealed partial class ObjectKeys(string prefix)
{
    public string Prefix { get; } = IsValidPrefix(prefix) ? prefix : throw new ArgumentException($"'{prefix}' is not a valid object key prefix.", nameof(prefix));

    /// <summary>A note version's text: one object per distinct text, so a key is written once and never changes meaning.</summary>
    public string Note(string sha256) => Require($"{Prefix}/notes/{Digest(sha256)}.md");

    /// <summary>An attachment's bytes, by their digest; the attachment's path lives in the database.</summary>
    public string Attachment(string sha256) => Require($"{Prefix}/attachments/{Digest(sha256)}");

    /// <summary>The key, if it lies under this store's prefix and has no '.', '..' or empty segment; else throws.</summary>
    public string Require(string key)
    {
        var inside = key.StartsWith(Prefix + "/", StringComparison.Ordinal)
            && key.Length <= 1024
            && key.Split('/').All(s => s is not ("" or "." or "..") && !s.Any(char.IsControl) && !s.Contains('\\'));
        return inside ? key : throw new ArgumentException($"Object key '{key}' is outside the store's prefix '{Prefix}/'.", nameof(key));
    }

    public static bool IsValidPrefix(string? prefix) => prefix is { Length: > 0 and <= 100 } && PrefixPattern().IsMatch(prefix);

    /// <summary>S3's bucket naming rules (lower case, 3–63, no IP address form).</summary>
    public static bool IsValidBucketName(string? bucket) =>
        bucket is { Length: >= 3 and <= 63 } && BucketPattern().IsMatch(bucket) && !bucket.Contains("..", StringComparison.Ordinal)
        && !System.Net.IPAddress.TryParse(bucket, out _);

    private static string Digest(string sha256) =>
        sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower) ? sha256 : throw new ArgumentException($"'{sha256}' is not a lower-case SHA-256 digest.", nameof(sha256));

    [GeneratedRegex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketPattern();
}
