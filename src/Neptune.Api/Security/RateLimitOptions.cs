using System.ComponentModel.DataAnnotations;

namespace Neptune.Api.Security;

/// <summary>Per-token request budget in token mode, bound from "Neptune:RateLimit": a bucket of Burst requests refilled at RequestsPerMinute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Neptune:RateLimit";

    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;
}
