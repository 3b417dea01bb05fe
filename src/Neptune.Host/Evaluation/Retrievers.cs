using Neptune.Api.Graph;
using Neptune.Api.Search;
using Neptune.Core;
using Neptune.Core.Search;
using Neptune.Data;

namespace Neptune.Host.Evaluation;

/// <summary>Each mode as a function from text (or a document id, for related notes) to document ids, through the code the API runs.</summary>
public sealed class Retrievers(SearchEngine search, GraphRetrieval graph, RelatedNotes related, IReadOnlyDictionary<string, long> noteIds)
{
    private readonly Dictionary<long, string> _sources = noteIds.ToDictionary(kv => kv.Value, kv => kv.Key);

    public Retrieve ForMode(string mode) => mode == "graph" ? GraphAsync : (text, k, ct) => SearchAsync(SearchModes.Parse(mode), text, k, ct);

    /// <summary>GET /api/notes/{id}/related.</summary>
    public async Task<IReadOnlyList<string>> Related(string id, int k, CancellationToken ct) =>
        [.. (await related.RelatedAsync(UserId.Local, noteIds[id], k, ct)).Select(r => Source(r.Note.Id))];

    /// <summary>Plain vector neighbours: the baseline related and graph retrieval must beat.</summary>
    public async Task<IReadOnlyList<string>> VectorNeighbours(string id, int k, CancellationToken ct) =>
        [.. (await related.VectorNeighboursAsync(UserId.Local, noteIds[id], k, ct)).Select(r => Source(r.Note.Id))];

    public async Task<IReadOnlyList<string>> GraphNearNote(string id, int k, CancellationToken ct) =>
        [.. (await graph.NearNoteAsync(UserId.Local, noteIds[id], k, ct)).Select(r => Source(r.Node.Id))];

    private async Task<IReadOnlyList<string>> SearchAsync(SearchMode mode, string text, int k, CancellationToken ct)
    {
        var outcome = await search.SearchAsync(UserId.Local, new SearchQuery(text, mode, k), ct);
        // A mode that fell back measured another mode: count the query as failed, with the reason.
        return outcome.Degraded is { } reason ? throw NeptuneException.Invalid("mode", reason) : [.. outcome.Results.Select(r => Source(r.Note.Id))];
    }

    private async Task<IReadOnlyList<string>> GraphAsync(string text, int k, CancellationToken ct) =>
        [.. (await graph.RetrieveAsync(UserId.Local, text, k, ct)).Results.Select(r => Source(r.Id))];

    private string Source(long noteId) => _sources.GetValueOrDefault(noteId, $"note {noteId}");
}
