using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Llm.Models;
using Neptune.Llm.Onnx;

namespace Neptune.Llm;

/// <summary>
/// After the host has started (never delaying it): pins the configured model in the registry and, when the embedded
/// model is active, loads it so the first search does not wait. Until then the llm check reports "loading".
/// </summary>
public sealed class LlmStartup(
    ModelRegistry registry, OnnxEmbeddingSource onnx, IOptions<LlmOptions> options, IHostApplicationLifetime lifetime, ILogger<LlmStartup> logger)
    : BackgroundService
{
    private volatile string? _problem = "starting";

    /// <summary>Null once the active model is registered and (if embedded) loaded; else what is still missing or wrong.</summary>
    public string? Problem => _problem;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the database migrations (a hosted service too) finish and the server start first.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult))
        await using (stoppingToken.Register(started.SetResult))
        {
            await started.Task;
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var active = await registry.EnsureActiveAsync(stoppingToken);
                if (active.Provider == onnx.Provider && options.Value.WarmUp)
                {
                    _problem = "loading the embedded model";
                    await onnx.Generator.GenerateAsync(["warm up"], cancellationToken: stoppingToken);
                }

                _problem = null;
                return;
            }
            catch (Exception e) when (e is LlmException or Neptune.Core.NeptuneException or IOException && !stoppingToken.IsCancellationRequested)
            {
                _problem = e.Message;
                var wait = TimeSpan.FromSeconds(Math.Min(60, 2 * attempt));
                logger.LogWarning("Embedding model not ready ({Problem}); retrying in {Wait}", e.Message, wait);
                await Task.Delay(wait, stoppingToken);
            }
        }
    }
}

/// <summary>/ready entry for the llm role: the active model is pinned, loaded and its provider reachable.</summary>
public sealed class LlmHealthCheck(LlmStartup startup, ModelRegistry registry) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = startup.Problem ?? await registry.CheckActiveAsync(cancellationToken);
        return problem is null
            ? HealthCheckResult.Healthy("embedding model loaded and reachable")
            : new HealthCheckResult(context.Registration.FailureStatus, problem);
    }
}
