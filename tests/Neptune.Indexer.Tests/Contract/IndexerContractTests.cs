using Neptune.Core;
using Neptune.Indexer.Contract;

namespace Neptune.Indexer.Tests.Contract;

/// <summary>The indexer role's contract, version 1. The same tests run against the in-process binding and the HTTP client.</summary>
public abstract class IndexerContractTests(IndexerRoleFixture fixture, IIndexerService indexer)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    protected IndexerRoleFixture Fixture { get; } = fixture;

    [Fact]
    public async Task Status_gives_totals_the_active_model_and_the_worker_state()
    {
        var status = await IndexerRoleFixture.WaitUntilIndexedAsync(indexer);

        Assert.Equal(Fixture.LiveNotes.Count, status.Index.Notes);
        Assert.Equal($"{status.Index.Notes}/{status.Index.Notes} indexed, 0 failed", status.Index.Summary);
        Assert.Equal("onnx/all-MiniLM-L6-v2-int8", status.Index.Model);
        Assert.Empty(status.Index.Failures);
        Assert.Equal("running", status.Worker);
    }

    [Fact]
    public async Task Reindex_queues_the_note_and_the_worker_indexes_it_again()
    {
        var response = await indexer.ReindexAsync(Fixture.LiveNotes[0], Ct);

        Assert.Equal(new ReindexResponse(Fixture.LiveNotes[0], "pending"), response);
        var status = await IndexerRoleFixture.WaitUntilIndexedAsync(indexer);
        Assert.Equal(status.Index.Notes, status.Index.Indexed);
    }

    [Fact]
    public async Task Reindex_of_a_missing_note_is_not_found_naming_it()
    {
        var error = await Assert.ThrowsAsync<NeptuneException>(() => indexer.ReindexAsync(987654, Ct));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("987654", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reindex_of_a_trashed_note_is_a_conflict_saying_to_restore_it()
    {
        var error = await Assert.ThrowsAsync<NeptuneException>(() => indexer.ReindexAsync(Fixture.TrashedNote, Ct));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("restore it first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_queues_nothing_when_every_note_is_indexed()
    {
        await IndexerRoleFixture.WaitUntilIndexedAsync(indexer);

        Assert.Equal(new QueuedResponse(0), await indexer.BackfillAsync(Ct));
    }

    [Fact]
    public async Task Graph_refresh_queues_one_job_per_indexed_note_and_the_worker_drains_them()
    {
        var indexed = (await IndexerRoleFixture.WaitUntilIndexedAsync(indexer)).Index.Indexed;

        var response = await indexer.RefreshGraphAsync(Ct);

        Assert.Equal(indexed, response.Queued);
        Assert.Equal(0, (await IndexerRoleFixture.WaitUntilIndexedAsync(indexer)).Index.QueueDepth);
    }
}

[Collection(IndexerRoleCollection.Name)]
public sealed class InProcessIndexerContractTests(IndexerRoleFixture fixture) : IndexerContractTests(fixture, fixture.InProcess);

[Collection(IndexerRoleCollection.Name)]
public sealed class HttpIndexerContractTests(IndexerRoleFixture fixture) : IndexerContractTests(fixture, fixture.OverHttp)
{
    [Fact]
    public async Task The_role_serves_ready_with_the_indexer_and_metrics_but_not_the_notes_api()
    {
        using var client = Fixture.CreateClient();

        var ready = await client.GetStringAsync("/ready");
        var metrics = await client.GetStringAsync("/metrics");
        using var anonymousStatus = await client.GetAsync("/indexer/v1/status");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", IndexerRoleFixture.ServiceToken);
        using var notes = await client.GetAsync("/api/notes");

        Assert.Contains("\"indexer\"", ready, StringComparison.Ordinal);
        Assert.Contains("neptune_indexer_notes", metrics, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymousStatus.StatusCode);  // token mode: the contract takes the service token
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, notes.StatusCode);  // no notes API here, and the service token is no user's
    }

    [Fact]
    public async Task An_unreachable_indexer_is_an_indexer_exception_naming_the_address()
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };

        var error = await Assert.ThrowsAsync<IndexerException>(() => new IndexerHttpClient(http).GetStatusAsync(CancellationToken.None));

        Assert.Contains("127.0.0.1:9", error.Message, StringComparison.Ordinal);
    }
}
