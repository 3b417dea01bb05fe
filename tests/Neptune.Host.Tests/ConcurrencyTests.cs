using System.Net;

namespace Neptune.Host.Tests;

public sealed class ConcurrencyTests(NeptuneServerFixture served) : IClassFixture<NeptuneServerFixture>
{
    private const int Racers = 16;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task Parallel_updates_with_the_same_etag_have_exactly_one_winner()
    {
        var http = served.Http;
        using var created = await NoteApi.CreateAsync(http, "# Race\n\nthe original text\n", Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.ToString());
        var note = await NoteApi.ReadAsync(created, Ct);

        // Every racer waits at the same gate, then all PUT with If-Match "1" at once.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(1, Racers).Select(async n =>
        {
            var content = $"# Race\n\nracer {n} was here\n";
            await gate.Task;
            using var response = await NoteApi.UpdateAsync(http, note.Id, content, ifMatchVersion: 1, Ct);
            var body = response.StatusCode == HttpStatusCode.OK ? await NoteApi.ReadAsync(response, Ct) : null;
            return (Content: content, response.StatusCode, ETag: response.Headers.ETag?.ToString(), Body: body);
        }).ToList();
        gate.SetResult();
        var outcomes = await Task.WhenAll(racers);

        var statuses = string.Join(", ", outcomes.Select(o => (int)o.StatusCode));
        Assert.DoesNotContain(outcomes, o => (int)o.StatusCode >= 500);
        var winner = Assert.Single(outcomes, o => o.StatusCode == HttpStatusCode.OK);
        Assert.True(outcomes.Count(o => o.StatusCode == HttpStatusCode.PreconditionFailed) == Racers - 1, statuses);
        Assert.Equal("\"2\"", winner.ETag);
        Assert.Equal(2, winner.Body!.Version);
        Assert.Equal(winner.Content, winner.Body.Content);

        using var final = await http.GetAsync($"/api/notes/{note.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        var stored = await NoteApi.ReadAsync(final, Ct);
        Assert.Equal(winner.Content, stored.Content);
        Assert.Equal(2, stored.Version);
        Assert.Equal("\"2\"", final.Headers.ETag?.ToString());
    }

    [Fact(Timeout = 300_000)]
    public async Task Update_with_a_stale_etag_returns_412_and_keeps_the_newer_content()
    {
        var http = served.Http;
        using var created = await NoteApi.CreateAsync(http, "first", Ct);
        var note = await NoteApi.ReadAsync(created, Ct);
        using var second = await NoteApi.UpdateAsync(http, note.Id, "second", ifMatchVersion: 1, Ct);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        using var stale = await NoteApi.UpdateAsync(http, note.Id, "stale overwrite", ifMatchVersion: 1, Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        using var final = await http.GetAsync($"/api/notes/{note.Id}", Ct);
        var stored = await NoteApi.ReadAsync(final, Ct);
        Assert.Equal("second", stored.Content);
        Assert.Equal(2, stored.Version);
    }

    [Fact(Timeout = 300_000)]
    public async Task Update_without_if_match_returns_428_and_changes_nothing()
    {
        var http = served.Http;
        using var created = await NoteApi.CreateAsync(http, "keep me", Ct);
        var note = await NoteApi.ReadAsync(created, Ct);

        using var blind = await NoteApi.UpdateAsync(http, note.Id, "blind overwrite", ifMatchVersion: null, Ct);

        Assert.Equal((HttpStatusCode)428, blind.StatusCode);
        using var final = await http.GetAsync($"/api/notes/{note.Id}", Ct);
        var stored = await NoteApi.ReadAsync(final, Ct);
        Assert.Equal("keep me", stored.Content);
        Assert.Equal(1, stored.Version);
    }
}
