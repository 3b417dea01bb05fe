using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Neptune.Data;

namespace Neptune.Api.Search;

/// <summary>
/// Loads the active model's vector index once the server has started, so the first semantic or hybrid search does not
/// pay for it (at 100k notes, 200k vectors, that first query took 5.5 s; see bench/results/*-scale.md). It never delays
/// start or readiness, and a failure only means the first search loads the index itself, as it would without this.
/// Vectors searched in PostgreSQL (pgvector) have nothing to load.
/// </summary>
public sealed class VectorIndexWarmUp(
    IModelStore models, IVectorSearch vectors, IHostApplicationLifetime lifetime, ILogger<VectorIndexWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult))
        await using (stoppingToken.Register(started.SetResult))
        {
            await started.Task;
        }

        try
        {
            if (vectors is not InMemoryVectorSearch memory || stoppingToken.IsCancellationRequested || await models.GetActiveAsync(stoppingToken) is not { } model)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            var index = await memory.Indexes.GetAsync(model.Id, model.Dimensions, stoppingToken);
            logger.LogInformation("Vector index of {Model} loaded: {Vectors} vectors in {Ms:F0} ms", model.Reference, index.Count, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Loading the vector index ahead of the first search failed; the first search loads it");
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
