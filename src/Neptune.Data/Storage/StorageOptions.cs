using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Neptune.Data.Storage;

/// <summary>
/// Where note text and attachment bytes live, bound from "Neptune:Storage" (Neptune__Storage__Mode,
/// Neptune__Storage__S3__Endpoint, …). The original deployment's names STORAGE_MODE, S3_ENDPOINT, S3_ACCESS_KEY,
/// S3_SECRET_KEY and S3_BUCKET are accepted too; a Neptune:Storage key, when set, wins over its alias.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Neptune:Storage";

    /// <summary>db (the default): text in the database, attachments as files in the data dir. dual or s3: see docs/decisions.md.</summary>
    public string Mode { get; set; } = StorageMode.Db.ToString().ToLowerInvariant();

    public S3Settings S3 { get; set; } = new();

    public StorageMode ParsedMode => Mode.Trim().ToLowerInvariant() switch
    {
        "dual" => StorageMode.Dual,
        "s3" => StorageMode.S3,
        _ => StorageMode.Db,
    };

    private bool IsKnownMode => Mode.Trim().ToLowerInvariant() is "db" or "dual" or "s3";

    public bool UsesS3 => ParsedMode != StorageMode.Db;

    /// <summary>The original's environment names, applied before the Neptune:Storage section is bound (so that section wins).</summary>
    public static void ApplyAliases(StorageOptions options, IConfiguration configuration)
    {
        options.Mode = configuration["STORAGE_MODE"] is { Length: > 0 } mode ? mode : options.Mode;
        options.S3.Endpoint = configuration["S3_ENDPOINT"] is { Length: > 0 } endpoint ? endpoint : options.S3.Endpoint;
        options.S3.AccessKey = configuration["S3_ACCESS_KEY"] is { Length: > 0 } access ? access : options.S3.AccessKey;
        options.S3.SecretKey = configuration["S3_SECRET_KEY"] is { Length: > 0 } secret ? secret : options.S3.SecretKey;
        options.S3.Bucket = configuration["S3_BUCKET"] is { Length: > 0 } bucket ? bucket : options.S3.Bucket;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsKnownMode)
        {
            yield return new ValidationResult($"{Section}:Mode (or STORAGE_MODE) must be db, dual or s3 (got \"{Mode}\").", [nameof(Mode)]);
            yield break;
        }

        if (!UsesS3)
        {
            yield break;
        }

        var needs = $"is required when {Section}:Mode is {Mode.ToLowerInvariant()}";
        if (!Uri.TryCreate(S3.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult(string.IsNullOrWhiteSpace(S3.Endpoint)
                ? $"{Section}:S3:Endpoint (or S3_ENDPOINT) {needs}, e.g. http://minio:9000."
                : $"{Section}:S3:Endpoint (or S3_ENDPOINT) must be an http:// or https:// URL, e.g. http://minio:9000 (got \"{S3.Endpoint}\").", ["S3:Endpoint"]);
        }

        if (string.IsNullOrWhiteSpace(S3.AccessKey))
        {
            yield return new ValidationResult($"{Section}:S3:AccessKey (or S3_ACCESS_KEY) {needs}.", ["S3:AccessKey"]);
        }

        if (string.IsNullOrWhiteSpace(S3.SecretKey))
        {
            yield return new ValidationResult($"{Section}:S3:SecretKey (or S3_SECRET_KEY) {needs}.", ["S3:SecretKey"]);
        }

        if (!ObjectKeys.IsValidBucketName(S3.Bucket))
        {
            yield return new ValidationResult(string.IsNullOrWhiteSpace(S3.Bucket)
                ? $"{Section}:S3:Bucket (or S3_BUCKET) {needs}."
                : $"{Section}:S3:Bucket (or S3_BUCKET) \"{S3.Bucket}\" is not an S3 bucket name: 3–63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit.", ["S3:Bucket"]);
        }

        if (!ObjectKeys.IsValidPrefix(S3.Prefix))
        {
            yield return new ValidationResult(
                $"{Section}:S3:Prefix \"{S3.Prefix}\" must be 1–100 characters of a–z, 0–9, '-', '_' and '/'-separated segments, none of them '.' or '..' (e.g. neptune or teams/blue).", ["S3:Prefix"]);
        }

        if (S3.TimeoutSeconds is < 1 or > 600)
        {
            yield return new ValidationResult($"{Section}:S3:TimeoutSeconds must be between 1 and 600 (got {S3.TimeoutSeconds}).", ["S3:TimeoutSeconds"]);
        }
    }
}

public enum StorageMode
{
    /// <summary>Note text in the database only; attachment bytes as files under the data dir.</summary>
    Db,

    /// <summary>The database is the record for note text, mirrored to S3 and repaired on read; attachment bytes in S3.</summary>
    Dual,

    /// <summary>S3 is the record: a note version is in S3 before its row commits, reads come from S3; attachment bytes in S3.</summary>
    S3,
}

public sealed class S3Settings
{
    public string? Endpoint { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string? Bucket { get; set; }

    /// <summary>Every key this store writes starts with "&lt;Prefix&gt;/": several Neptune stores can share a bucket.</summary>
    public string Prefix { get; set; } = "neptune";

    /// <summary>Region to sign requests for; S3-compatible servers (MinIO, radosgw) accept us-east-1.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style addressing (http://host/bucket/key), which MinIO and radosgw need; false for AWS virtual-host style.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Per-request timeout; a slow or absent server fails a request after this instead of holding it.</summary>
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Retries of a failed request (the SDK's own backoff); 0 turns them off.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;
}

/// <summary>Upload limits for attachments sent over HTTP, bound from "Neptune:Attachments".</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Neptune:Attachments";

    public static readonly IReadOnlyList<string> DefaultContentTypes =
    [
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "application/pdf",
        "audio/mpeg", "audio/wav", "audio/ogg", "audio/mp4", "audio/flac", "video/mp4", "video/webm", "video/quicktime",
        "text/plain", "text/csv", "application/json", "application/zip",
    ];

    /// <summary>Largest upload accepted, in bytes (default 25 MiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Media types accepted; unset means <see cref="DefaultContentTypes"/> (SVG and HTML are not among them).</summary>
    public string[]? AllowedContentTypes { get; set; }

    public IReadOnlyList<string> EffectiveContentTypes => AllowedContentTypes is { Length: > 0 } types ? types : DefaultContentTypes;
}
