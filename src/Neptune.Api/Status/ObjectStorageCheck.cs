using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Data.Storage;

namespace Neptune.Api.Status;

/// <summary>
/// At start, in modes dual and s3: the bucket must answer with the configured credentials. Mode s3 cannot save a note
/// without it, so `serve` stops with the reason; mode dual keeps the database as the record and only warns.
/// </summary>
public sealed class ObjectStorageStartupCheck(IOptions<StorageOptions> options, IServiceProvider services, ILogger<ObjectStorageStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var storage = options.Value;
        if (!storage.UsesS3)
        {
            return;
        }

        var objects = (IObjectStore)services.GetService(typeof(IObjectStore))!;
        if (await objects.CheckAsync(cancellationToken) is not { } problem)
        {
            return;
        }

        if (storage.ParsedMode == StorageMode.S3)
        {
            throw new NeptuneException(ErrorKind.Unavailable, $"{StorageOptions.Section}:Mode is s3, which needs object storage to save any note: {problem}");
        }

        logger.LogWarning("Storage mode dual: notes are saved in the database and mirrored once object storage answers: {Problem}", problem);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>/ready: Degraded (never unready) while object storage does not answer in modes dual and s3.</summary>
public sealed class ObjectStorageHealthCheck(IOptions<StorageOptions> options, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.UsesS3)
        {
            return HealthCheckResult.Healthy("storage mode db: no object storage");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var objects = (IObjectStore)services.GetService(typeof(IObjectStore))!;
        var problem = await objects.CheckAsync(timeout.Token);
        return problem is null
            ? HealthCheckResult.Healthy($"storage mode {options.Value.ParsedMode.ToString().ToLowerInvariant()}")
            : new HealthCheckResult(context.Registration.FailureStatus, problem);
    }
}
