namespace Neptune.Data.Tests.Servers;

/// <summary>
/// The PostgreSQL and S3 servers started by scripts/services.sh, found through the variables it exports.
/// Without them a test is skipped (and says how to run it); under CI it fails instead, since CI never skips them.
/// </summary>
internal static class TestServers
{
    public static string PostgresConnectionString => Require("Neptune__Database__ConnectionString", "PostgreSQL");

    public static S3Server S3 => new(
        new Uri(Require("S3_ENDPOINT", "S3")),
        Require("S3_ACCESS_KEY", "S3"),
        Require("S3_SECRET_KEY", "S3"),
        Require("S3_BUCKET", "S3"));

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Require(string variable, string server)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        var missing = string.IsNullOrWhiteSpace(value);
        var why = $"{variable} is not set (./test.sh starts the servers; or eval \"$(scripts/services.sh up)\")";
        Assert.False(missing && IsCi, $"The {server} suite cannot run under CI, which never skips it: {why}");
        Assert.SkipWhen(missing, $"{server} suite skipped: {why}");
        return value!;
    }
}

internal sealed record S3Server(Uri Endpoint, string AccessKey, string SecretKey, string Bucket);
