using Microsoft.Extensions.DependencyInjection;

namespace Neptune.Data.Tests;

/// <summary>A clock the tests move, so leases run out and backoff delays pass instantly.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Leasing, completion, retries with backoff, dead letters and lease recovery, against SQLite and PostgreSQL alike.</summary>
public abstract class JobQueueConformance(StoreProvider provider) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ManualTime _time = new();
    private StoreFixture _store = null!;

    private IJobQueue Queue => _store.Get<IJobQueue>();

    public async ValueTask InitializeAsync() => _store = await StoreFixture.CreateAsync(
        new() { ["Neptune:Indexer:MaxAttempts"] = "3", ["Neptune:Indexer:BackoffBase"] = "00:00:10", ["Neptune:Indexer:BackoffMax"] = "00:00:30", ["Neptune:Indexer:LeaseDuration"] = "00:01:00" },
        configure: s => s.AddSingleton<TimeProvider>(_time), provider: provider);

    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;  // null when skipped in InitializeAsync

    [Fact]
    public async Task Lease_takes_due_jobs_oldest_first_up_to_the_limit_and_marks_notes_pending()
    {
        var ids = await CreateNotesAsync(3);

        var first = await Queue.LeaseAsync("w/1/a", 2, Ct);
        var second = await Queue.LeaseAsync("w/1/a", 2, Ct);

        Assert.Equal(ids[..2], first.Select(j => j.NoteId!.Value));
        Assert.All(first, j => Assert.Equal(JobKinds.IndexNote, j.Kind));
        Assert.Equal(ids[2], Assert.Single(second).NoteId);
        Assert.Empty(await Queue.LeaseAsync("w/1/a", 2, Ct));
        Assert.False(await Queue.HasReadyAsync(Ct));
        Assert.Equal(["pending", "pending", "pending"], await ScalarsAsync<string>("SELECT state FROM note_index ORDER BY note_id"));
    }

    [Fact]
    public async Task Completed_jobs_leave_the_table()
    {
        await CreateNotesAsync(2);
        var jobs = await Queue.LeaseAsync("w/1/a", 10, Ct);

        await Queue.CompleteAsync([.. jobs.Select(j => j.Id)], Ct);

        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM jobs"));
    }

    [Fact]
    public async Task Failing_a_job_that_was_completed_changes_nothing()
    {
        var noteId = (await CreateNotesAsync(1))[0];
        var job = Assert.Single(await Queue.LeaseAsync("w/1/a", 1, Ct));
        await Queue.CompleteAsync([job.Id], Ct);

        var failure = await Queue.FailAsync(job with { Attempts = 2 }, "late failure", Ct);

        Assert.False(failure.Dead);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM jobs"));
        Assert.Equal(["pending"], await ScalarsAsync<string>($"SELECT state FROM note_index WHERE note_id = {noteId}"));
    }

    [Fact]
    public async Task Failures_back_off_exponentially_with_jitter_then_dead_letter_keeping_the_error()
    {
        var noteId = (await CreateNotesAsync(1))[0];
        var delays = new List<TimeSpan>();
        JobFailure? failure = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var job = Assert.Single(await Queue.LeaseAsync("w/1/a", 1, Ct));
            Assert.Equal(attempt - 1, job.Attempts);
            failure = await Queue.FailAsync(job, $"model said no ({attempt})", Ct);
            if (failure.RetryAt is { } at)
            {
                delays.Add(at - _time.Now);
                Assert.False(await Queue.HasReadyAsync(Ct));
                _time.Now = at;
            }
        }

        Assert.True(failure!.Dead);
        Assert.Equal(3, failure.Attempts);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        Assert.Equal(["dead|model said no (3)"], await ScalarsAsync<string>("SELECT state || '|' || last_error FROM jobs"));
        Assert.Equal(["failed|model said no (3)"], await ScalarsAsync<string>($"SELECT state || '|' || error FROM note_index WHERE note_id = {noteId}"));
        Assert.Empty(await Queue.LeaseAsync("w/1/a", 1, Ct));
    }

    [Fact]
    public async Task Released_jobs_come_back_after_the_delay_without_counting_an_attempt()
    {
        await CreateNotesAsync(1);
        var job = Assert.Single(await Queue.LeaseAsync("w/1/a", 1, Ct));

        await Queue.ReleaseAsync([job], TimeSpan.FromSeconds(20), "waiting for the model: unreachable", Ct);

        Assert.Empty(await Queue.LeaseAsync("w/1/a", 1, Ct));
        _time.Now += TimeSpan.FromSeconds(20);
        var again = Assert.Single(await Queue.LeaseAsync("w/1/a", 1, Ct));
        Assert.Equal(0, again.Attempts);
    }

    [Fact]
    public async Task An_expired_lease_comes_back_counting_an_attempt()
    {
        await CreateNotesAsync(1);
        Assert.Single(await Queue.LeaseAsync("w/1/a", 1, Ct));

        _time.Now += TimeSpan.FromSeconds(59);
        Assert.Empty(await Queue.LeaseAsync("w/2/b", 1, Ct));
        _time.Now += TimeSpan.FromSeconds(1);
        var retaken = Assert.Single(await Queue.LeaseAsync("w/2/b", 1, Ct));

        Assert.Equal(1, retaken.Attempts);
        Assert.Equal(["w/2/b"], await ScalarsAsync<string>("SELECT lease_owner FROM jobs"));
    }

    [Fact]
    public async Task Recovery_ends_the_leases_of_gone_owners_only()
    {
        await CreateNotesAsync(2);
        Assert.Single(await Queue.LeaseAsync("host/111/dead", 1, Ct));
        Assert.Single(await Queue.LeaseAsync("host/222/alive", 1, Ct));

        var recovered = await Queue.RecoverAsync(owner => owner.EndsWith("/dead", StringComparison.Ordinal), Ct);

        Assert.Equal(1, recovered);
        var retaken = Assert.Single(await Queue.LeaseAsync("host/333/new", 5, Ct));
        Assert.Equal(1, retaken.Attempts);
        Assert.Equal(["host/222/alive", "host/333/new"], await ScalarsAsync<string>("SELECT lease_owner FROM jobs ORDER BY lease_owner"));
    }

    [Fact]
    public async Task A_note_edited_while_its_job_runs_gets_a_new_job_that_supersedes_a_failure()
    {
        var noteId = (await CreateNotesAsync(1))[0];
        var job = Assert.Single(await Queue.LeaseAsync("w/1/a", 1, Ct));

        await _store.Notes.UpdateAsync(UserId.Local, noteId, null, "edited while indexing", null, Ct);
        var failure = await Queue.FailAsync(job, "boom", Ct);

        Assert.True(failure.Superseded);
        Assert.Equal(["queued|0"], await ScalarsAsync<string>("SELECT state || '|' || attempts FROM jobs"));
    }

    private async Task<long[]> CreateNotesAsync(int count)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = (await _store.Notes.CreateAsync(UserId.Local, new NewNote(null, $"Note {i}", $"Body {i}"), Ct)).Id;
            _time.Now += TimeSpan.FromMilliseconds(1);
        }

        return ids;
    }

    private async Task<long> ScalarAsync(string sql) => (await ScalarsAsync<long>(sql)).Single();

    private Task<List<T>> ScalarsAsync<T>(string sql) => _store.ScalarsAsync<T>(sql);
}

public sealed class SqliteJobQueueTests() : JobQueueConformance(StoreProvider.Sqlite);

public sealed class PostgresJobQueueTests() : JobQueueConformance(StoreProvider.Postgres);

public sealed class JobBackoffTests
{
    [Fact]
    public void Backoff_doubles_per_attempt_up_to_the_cap_and_keeps_half_as_jitter()
    {
        var baseDelay = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(60);

        Assert.Equal(TimeSpan.FromSeconds(0.5), JobBackoff.Delay(1, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(1), JobBackoff.Delay(1, baseDelay, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(8), JobBackoff.Delay(4, baseDelay, max, 1));
        Assert.Equal(TimeSpan.FromSeconds(30), JobBackoff.Delay(40, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(60), JobBackoff.Delay(40, baseDelay, max, 1));
    }
}
