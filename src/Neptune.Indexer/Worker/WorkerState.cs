using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Neptune.Indexer.Worker;

/// <summary>What the worker in this process is doing, for status and /ready.</summary>
public sealed class WorkerState
{
    private volatile string _status = "not running";
    private volatile string? _problem;

    /// <summary>"running", "waiting: …", "disabled (…)" or "not running".</summary>
    public string Status => _status;

    /// <summary>Why the worker cannot make progress right now (model unavailable, database error), else null.</summary>
    public string? Problem => _problem;

    public void Running() => (_status, _problem) = ("running", null);

    public void Waiting(string reason, TimeSpan retryIn)
    {
        _problem = reason;
        _status = $"waiting: {reason} (retrying in {Math.Ceiling(retryIn.TotalSeconds)} s)";
    }

    public void Stopped(string status) => (_status, _problem) = (status, null);
}

/// <summary>/ready entry for the indexer: degraded (never unready) while it waits, so start-up and the API never depend on it.</summary>
public sealed class IndexerHealthCheck(WorkerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Problem is { } problem
            ? new HealthCheckResult(context.Registration.FailureStatus, $"indexer {state.Status}: {problem}")
            : HealthCheckResult.Healthy($"indexer {state.Status}"));
}
