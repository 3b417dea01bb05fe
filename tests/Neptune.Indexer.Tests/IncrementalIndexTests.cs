using Neptune.Data;

namespace Neptune.Indexer.Tests;

/// <summary>16 man pages and one note linking three of them, indexed once with the real embedded model.</summary>
public sealed class ManPagesIndexFixture : IAsyncLifetime
{
    private static readonly string[] Pages =
    [
        "cut.1", "paste.1", "join.1", "uniq.1", "tr.1", "head.1", "tail.1", "wc.1",
        "comm.1", "nl.1", "fold.1", "tac.1", "cat.1", "md5sum.1", "sha256sum.1", "udp.7",
    ];

    public Dictionary<string, long> Ids { get; } = [];

    public IndexerHarness Harness { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Harness = await IndexerHarness.CreateAsync();
        foreach (var (id, page) in SharedDatasets.ManPages(Pages).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Ids[id] = await Harness.CreateNoteAsync(page.Title, page.Text);
        }

        Ids["tools"] = await Harness.CreateNoteAsync("Text tools", "# Text tools\n\nCut columns with [[cut]], glue them with [[paste]], match keys with [[join]].\n");
        await Harness.DrainAsync();
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}

/// <summary>
/// Real man pages, the real embedded model: after an edit and a delete only the rows of those two notes change, plus the
/// statistics of the topics they touch. Nothing is rebuilt globally.
/// </summary>
public sealed class IncrementalIndexTests(ManPagesIndexFixture fixture) : IClassFixture<ManPagesIndexFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly Dictionary<string, long> _ids = fixture.Ids;
    private readonly IndexerHarness _harness = fixture.Harness;

    [Fact]
    public async Task Editing_one_note_and_deleting_another_changes_only_their_rows_and_their_topics_statistics()
    {
        var (edited, deleted) = (_ids["tools"], _ids["comm.1"]);
        Assert.Equal($"{_ids.Count}/{_ids.Count} indexed, 0 failed", (await _harness.Index.GetStatusAsync(UserId.Local, 10, Ct)).Summary);
        var before = await IndexTables.ReadAsync(_harness);
        var topicsBefore = await TopicsOfAsync(edited, deleted);
        Assert.Contains(before.Edges, e => e == $"{Math.Min(edited, _ids["join.1"])}|{Math.Max(edited, _ids["join.1"])}|link|1|link:{edited}->{_ids["join.1"]}");
        Assert.Contains(before.Edges, e => e.Contains("|semantic|", StringComparison.Ordinal) && (IndexTables.Column(e, 0) == deleted || IndexTables.Column(e, 1) == deleted));

        _harness.Time.Now += TimeSpan.FromMinutes(1);
        await _harness.Notes.UpdateAsync(UserId.Local, edited, 1, "# Text tools\n\nCount lines, words and bytes with [[wc]]; number lines with [[nl]]. Checksums come from [[md5sum]].\n", null, Ct);
        await _harness.Notes.DeleteAsync(UserId.Local, deleted, null, Ct);
        await _harness.DrainAsync();
        var after = await IndexTables.ReadAsync(_harness);
        var touchedTopics = topicsBefore.Union(await TopicsOfAsync(edited)).ToList();
        long[] changed = [edited, deleted];

        Assert.Equal(IndexTables.Except(before.Chunks, changed), IndexTables.Except(after.Chunks, changed));
        Assert.Equal(IndexTables.Except(before.Embeddings, changed), IndexTables.Except(after.Embeddings, changed));
        Assert.Equal(IndexTables.Except(before.NoteTopics, changed), IndexTables.Except(after.NoteTopics, changed));
        Assert.Equal(IndexTables.Except(before.NoteIndex, changed), IndexTables.Except(after.NoteIndex, changed));
        Assert.Equal(IndexTables.EdgesAvoiding(before.Edges, changed), IndexTables.EdgesAvoiding(after.Edges, changed));
        Assert.Equal(IndexTables.Except(before.Topics, touchedTopics), IndexTables.Except(after.Topics, touchedTopics));
        // Relations are only ever added, except those of topics that lost their last note.
        var goneTopics = before.Topics.Select(IndexTables.First).Except(after.Topics.Select(IndexTables.First)).ToList();
        Assert.All(goneTopics, t => Assert.Contains(t, touchedTopics));
        Assert.Equal(IndexTables.EdgesAvoiding(before.Relations, goneTopics), IndexTables.EdgesAvoiding(after.Relations, goneTopics).Intersect(before.Relations));

        Assert.DoesNotContain(after.Chunks, c => IndexTables.First(c) == deleted);
        Assert.DoesNotContain(after.Edges, e => IndexTables.Column(e, 0) == deleted || IndexTables.Column(e, 1) == deleted);
        Assert.DoesNotContain(after.NoteTopics, t => IndexTables.First(t) == deleted);
        Assert.DoesNotContain(after.Edges, e => e.Contains($"link:{edited}->{_ids["join.1"]}", StringComparison.Ordinal));
        Assert.Contains(after.Edges, e => e.Contains($"link:{edited}->{_ids["wc.1"]}", StringComparison.Ordinal));
        Assert.Contains(after.NoteIndex, r => r.StartsWith($"{edited}|indexed|", StringComparison.Ordinal) && IndexTables.Column(r, 3) == 2);
        Assert.Empty(await _harness.RowsAsync("""
            SELECT t.id FROM topics t LEFT JOIN note_topics nt ON nt.topic_id = t.id
            GROUP BY t.id HAVING t.note_count <> count(nt.note_id) OR abs(t.weight_sum - coalesce(sum(nt.weight), 0)) > 1e-9 OR t.note_count = 0
            """));
        Assert.Equal($"{_ids.Count - 1}/{_ids.Count - 1} indexed, 0 failed", (await _harness.Index.GetStatusAsync(UserId.Local, 10, Ct)).Summary);
    }

    [Fact]
    public async Task Semantic_neighbours_are_the_pages_about_the_same_thing()
    {
        var edges = await _harness.RowsAsync($"""
            SELECT CASE WHEN a = {_ids["md5sum.1"]} THEN b ELSE a END FROM note_edges
            WHERE kind = 'semantic' AND (a = {_ids["md5sum.1"]} OR b = {_ids["md5sum.1"]})
            """);

        Assert.Contains(_ids["sha256sum.1"].ToString(System.Globalization.CultureInfo.InvariantCulture), edges);
        Assert.DoesNotContain(_ids["udp.7"].ToString(System.Globalization.CultureInfo.InvariantCulture), edges);
    }

    private async Task<List<long>> TopicsOfAsync(params long[] notes) =>
        [.. (await _harness.RowsAsync($"SELECT DISTINCT topic_id FROM note_topics WHERE note_id IN ({string.Join(',', notes)})")).Select(IndexTables.First)];
}
