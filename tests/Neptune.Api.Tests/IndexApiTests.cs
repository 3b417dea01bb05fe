using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;
using Neptune.Llm;
using Neptune.Llm.Contract;

namespace Neptune.Api.Tests;

public sealed record IndexFailureDto(long NoteId, string Title, string Error);

public sealed record IndexStatusDto(long Notes, long Indexed, long Pending, long Failed, string? Model, long QueueDepth, long DeadJobs, string Summary, IndexFailureDto[] Failures);

public sealed record QueuedDto(int Queued);

/// <summary>Index status and control with the worker off: what is queued, and what the answers say.</summary>
public sealed class IndexApiTests : ApiTest
{
    [Fact]
    public async Task Status_counts_live_notes_as_pending_until_indexed()
    {
        await Client.CreateNoteAsync("# One\n\nfirst");
        var second = await Client.CreateNoteAsync("# Two\n\nsecond");
        await Client.CreateNoteAsync("# Three\n\nthird");
        await Client.DeleteAsync($"/api/notes/{second.Id}");

        var status = await Client.GetJsonAsync<IndexStatusDto>("/api/index/status");

        Assert.Equal((2, 0, 2, 0), (status.Notes, status.Indexed, status.Pending, status.Failed));
        Assert.Equal("0/2 indexed, 0 failed, 2 pending", status.Summary);
        Assert.Equal(3, status.QueueDepth);  // two index jobs and the trashed note's remove job
        Assert.Empty(status.Failures);
    }

    [Fact]
    public async Task Rebuild_queues_every_live_note_and_reindex_one()
    {
        var note = await Client.CreateNoteAsync("# One\n\nfirst");
        await Client.CreateNoteAsync("# Two\n\nsecond");

        var rebuild = await Client.PostAsync("/api/index/rebuild", null);
        var reindex = await Client.PostAsync($"/api/notes/{note.Id}/reindex", null);

        Assert.Equal(HttpStatusCode.Accepted, rebuild.StatusCode);
        Assert.Equal(2, (await rebuild.Content.ReadFromJsonAsync<QueuedDto>())!.Queued);
        Assert.Equal(HttpStatusCode.Accepted, reindex.StatusCode);
        Assert.Equal(2, (await Client.GetJsonAsync<IndexStatusDto>("/api/index/status")).QueueDepth);
    }

    [Fact]
    public async Task Reindex_of_a_missing_note_is_404_and_of_a_trashed_one_409_saying_what_to_do()
    {
        var note = await Client.CreateNoteAsync("# Gone\n\nsoon in the trash");
        await Client.DeleteAsync($"/api/notes/{note.Id}");

        var missing = await (await Client.PostAsync("/api/notes/999999/reindex", null)).ProblemAsync(404);
        var trashed = await (await Client.PostAsync($"/api/notes/{note.Id}/reindex", null)).ProblemAsync(409);

        Assert.Contains("999999", missing.Detail, StringComparison.Ordinal);
        Assert.Contains("restore it first", trashed.Detail, StringComparison.Ordinal);
    }
}

/// <summary>The worker on, with a model that rejects one note: the failure shows with its reason, and retry queues it again.</summary>
public sealed class IndexFailureApiTests : IAsyncLifetime
{
    private readonly NeptuneFactory _factory = new();
    private HttpClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _factory.Settings["Neptune:Indexer:Enabled"] = "true";
        _factory.Settings["Neptune:Indexer:MaxAttempts"] = "1";
        _factory.Settings["Neptune:Indexer:PollInterval"] = "00:00:00.050";
        _factory.TestServices = s => s.AddSingleton<ILlmService, RejectingLlm>();
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task A_dead_lettered_note_is_listed_with_its_reason_until_retried()
    {
        var note = await _client.CreateNoteAsync("# Rejected\n\nthe model refuses this one");

        var status = await _client.GetJsonAsync<IndexStatusDto>("/api/index/status");
        for (var i = 0; i < 400 && status.Failed == 0; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            status = await _client.GetJsonAsync<IndexStatusDto>("/api/index/status");
        }

        Assert.Equal("0/1 indexed, 1 failed", status.Summary);
        var failure = Assert.Single(status.Failures);
        Assert.Equal((note.Id, "Rejected"), (failure.NoteId, failure.Title));
        Assert.Contains("cannot embed", failure.Error, StringComparison.Ordinal);
        Assert.Equal(1, status.DeadJobs);

        var retry = await _client.PostAsync("/api/index/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(1, (await retry.Content.ReadFromJsonAsync<QueuedDto>())!.Queued);
    }

    private sealed class RejectingLlm : ILlmService
    {
        public Task<EmbeddingsResponse> EmbedAsync(EmbeddingsRequest request, CancellationToken ct) =>
            throw new LlmException(LlmErrorKind.ServerError, "ollama", "The model cannot embed this note (500 from the runner).");

        public Task<TopicsResponse> ExtractTopicsAsync(TopicsRequest request, CancellationToken ct) => throw new NotSupportedException();

        public Task<NotesResponse> IndexNotesAsync(NotesRequest request, CancellationToken ct) =>
            throw new LlmException(LlmErrorKind.ServerError, "ollama", "The model cannot embed this note (500 from the runner).");

        public Task<RelationsResponse> ScoreRelationsAsync(RelationsRequest request, CancellationToken ct) => throw new NotSupportedException();

        public Task<ModelsResponse> GetModelsAsync(CancellationToken ct) => throw new NotSupportedException();
    }
}

/// <summary>The worker on with a poll far longer than any test: only the in-process wake-up can get an edit indexed in time.</summary>
public sealed class IndexWakeUpApiTests : IAsyncLifetime
{
    private readonly NeptuneFactory _factory = new();
    private HttpClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _factory.Settings["Neptune:Indexer:Enabled"] = "true";
        _factory.Settings["Neptune:Indexer:PollInterval"] = "00:10:00";
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task A_save_wakes_the_idle_worker_without_waiting_for_its_poll()
    {
        // The first note may be found by the worker's first look; once it is indexed the worker sleeps on its poll.
        await _client.CreateNoteAsync("# Ports\n\nA firewall filters traffic by port and protocol.");
        await WaitIndexedAsync(1);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        await _client.CreateNoteAsync("# Backups\n\nA nightly job copies the database to another disk.");

        Assert.Equal("2/2 indexed, 0 failed", (await WaitIndexedAsync(2)).Summary);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_note_another_process_writes_into_the_data_dir_wakes_the_idle_worker()
    {
        await _client.CreateNoteAsync("# Ports\n\nA firewall filters traffic by port and protocol.");
        await WaitIndexedAsync(1);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        // `neptune import` into a running app's data: a store of its own on the same database, whose writes this app's
        // worker hears nothing of in-process (SQLite: the write-ahead log's file events; PostgreSQL: NOTIFY).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_factory.StoreSettings).Build();
        await using (var other = new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System).AddNeptuneStore().BuildServiceProvider())
        {
            await other.GetRequiredService<INoteStore>().CreateAsync(UserId.Local, new NewNote(null, "Backups", "A nightly job copies the database to another disk."),
                TestContext.Current.CancellationToken);
        }

        Assert.Equal("2/2 indexed, 0 failed", (await WaitIndexedAsync(2)).Summary);
    }

    /// <summary>Status once <paramref name="notes"/> are indexed; 20 s at most, far less than the poll.</summary>
    private async Task<IndexStatusDto> WaitIndexedAsync(int notes)
    {
        var status = await _client.GetJsonAsync<IndexStatusDto>("/api/index/status");
        for (var i = 0; i < 400 && (status.Indexed < notes || status.QueueDepth > 0); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            status = await _client.GetJsonAsync<IndexStatusDto>("/api/index/status");
        }

        return status;
    }
}
