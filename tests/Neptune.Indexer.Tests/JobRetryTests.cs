using Neptune.Data;
using Neptune.Llm;

namespace Neptune.Indexer.Tests;

/// <summary>Retries, backoff and dead letters as the worker drives them, with a model that fails on demand.</summary>
public sealed class JobRetryTests : IAsyncLifetime
{
    private readonly FakeLlm _llm = new();
    private IndexerHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await IndexerHarness.CreateAsync(_llm);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_note_the_model_rejects_fails_alone_backs_off_and_is_dead_lettered_with_its_error()
    {
        _llm.Fault = input => input.Contains("poison", StringComparison.Ordinal)
            ? new LlmException(LlmErrorKind.ServerError, "ollama", "Ollama answered 500: the runner crashed on this input") : null;
        var good = await _harness.CreateNoteAsync("Good", "An ordinary note about archives and compression.");
        var bad = await _harness.CreateNoteAsync("Bad", "A note with poison in it.");

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var batch = Assert.Single(await _harness.DrainAsync());
            Assert.Equal(1, batch.Failed);
            var job = Assert.Single(await _harness.RowsAsync("SELECT state, attempts, run_after FROM jobs"));
            if (attempt < 3)
            {
                Assert.StartsWith($"queued|{attempt}|", job, StringComparison.Ordinal);
                var wait = TimeSpan.FromMilliseconds(IndexTables.Column(job, 2) - _harness.Time.Now.ToUnixTimeMilliseconds());
                // BackoffBase 1 s doubling per attempt, the upper half random.
                Assert.InRange(wait.TotalSeconds, Math.Pow(2, attempt - 1) / 2, Math.Pow(2, attempt - 1));
                Assert.Empty(await _harness.DrainAsync());
                _harness.Time.Now += wait;
            }
        }

        Assert.Equal([$"{bad}|dead|3"], await _harness.RowsAsync("SELECT note_id, state, attempts FROM jobs"));
        var status = await _harness.Index.GetStatusAsync(UserId.Local, 10, CancellationToken.None);
        Assert.Equal((1, 1, 0), (status.Indexed, status.Failed, status.Pending));
        Assert.Equal("1/2 indexed, 1 failed", status.Summary);
        var failure = Assert.Single(status.Failures);
        Assert.Equal(bad, failure.NoteId);
        Assert.Contains("runner crashed", failure.Error, StringComparison.Ordinal);
        Assert.Equal([$"{good}|indexed"], await _harness.RowsAsync($"SELECT note_id, state FROM note_index WHERE note_id = {good}"));

        _llm.Fault = _ => null;
        Assert.Equal(1, await _harness.Index.RetryFailedAsync(UserId.Local, CancellationToken.None));
        await _harness.DrainAsync();
        Assert.Equal("2/2 indexed, 0 failed", (await _harness.Index.GetStatusAsync(UserId.Local, 10, CancellationToken.None)).Summary);
        Assert.Empty(await _harness.RowsAsync("SELECT * FROM jobs"));
    }

    [Fact]
    public async Task While_the_model_is_unreachable_jobs_wait_without_spending_attempts_in_shrinking_batches()
    {
        _llm.Down = true;
        for (var i = 0; i < 4; i++)
        {
            await _harness.CreateNoteAsync($"Waiting {i}", "This note waits for the model to come back.");
        }

        var sizes = new List<int>();
        for (var round = 0; round < 10; round++)
        {
            var batch = Assert.Single(await _harness.DrainAsync(maxBatches: 1));
            Assert.Contains("not reachable", batch.Unavailable, StringComparison.Ordinal);
            sizes.Add(batch.Jobs);
            _harness.Time.Now += TimeSpan.FromSeconds(2);
        }

        Assert.Equal([4, 2, 1, 1, 1], sizes.Take(5));
        Assert.All(await _harness.RowsAsync("SELECT state, attempts, last_error FROM jobs"),
            job => Assert.StartsWith("queued|0|waiting for the model: ", job, StringComparison.Ordinal));
        Assert.All(await _harness.RowsAsync("SELECT state FROM note_index"), state => Assert.Equal("pending", state));

        _llm.Down = false;
        await _harness.DrainAsync();
        Assert.Equal("4/4 indexed, 0 failed", (await _harness.Index.GetStatusAsync(UserId.Local, 10, CancellationToken.None)).Summary);
        Assert.Empty(await _harness.RowsAsync("SELECT * FROM jobs"));
    }

    [Fact]
    public async Task Stopping_mid_batch_puts_unfinished_jobs_back_at_once_and_uncounted()
    {
        await _harness.CreateNoteAsync("One", "First note for the stopped batch.");
        using var stop = new CancellationTokenSource();
        _llm.Fault = _ =>
        {
            stop.Cancel();
            return null;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _harness.Get<Worker.IndexJobRunner>().RunBatchAsync(TimeSpan.FromSeconds(1), stop.Token));

        Assert.Equal(["queued|0"], await _harness.RowsAsync("SELECT state, attempts FROM jobs"));
    }

    [Fact]
    public async Task The_worker_keeps_two_batches_with_the_model_and_stopping_puts_both_back_uncounted()
    {
        await using var harness = await IndexerHarness.CreateAsync(_llm, new() { ["Neptune:Indexer:BatchNotes"] = "2" });
        for (var i = 1; i <= 6; i++)
        {
            await harness.CreateNoteAsync($"Note {i}", $"Note number {i} about archives, kept for the worker.");
        }

        var held = 0;
        var twoHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _llm.BeforeNotes = async ct =>
        {
            if (Interlocked.Increment(ref held) == 2)
            {
                twoHeld.SetResult();
            }

            await Task.Delay(Timeout.Infinite, ct);
        };

        using var worker = harness.Worker();
        await worker.StartAsync(CancellationToken.None);
        await twoHeld.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // A third batch would be with the model by now if the worker leased more than Neptune:Indexer:BatchesInFlight.
        await Task.Delay(300);
        Assert.Equal(2, Volatile.Read(ref held));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Repeat("queued|0|", 6), await harness.RowsAsync("SELECT state, attempts, coalesce(lease_owner, '') FROM jobs"));
        _llm.BeforeNotes = _ => Task.CompletedTask;
        await harness.DrainAsync();
        Assert.Equal("6/6 indexed, 0 failed", (await harness.Index.GetStatusAsync(UserId.Local, 10, CancellationToken.None)).Summary);
    }
}
