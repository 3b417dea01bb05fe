using Microsoft.Extensions.Options;
using Neptune.Api.Graph;
using Neptune.Core.Graph;
using Neptune.Data;

namespace Neptune.Api.Search;

/// <summary>
/// GET /api/notes/{id}/related: a note's vector neighbours re-ranked with what the graph knows about each pair (links,
/// semantic edges, shared topics weighted by how specific they are), plus the graph's own neighbours the vectors missed.
/// <see cref="VectorNeighboursAsync"/> is the plain vector ranking it improves on, kept as `neptune eval`'s baseline.
/// </summary>
public sealed class RelatedNotes(SearchEngine search, ISearchStore store, GraphCache graphs, IOptions<RelatedOptions> options)
{
    /// <summary>Candidates beyond the limit, for notes trashed since they were indexed.</summary>
    private const int Spare = 5;

    public async Task<IReadOnlyList<RelatedNote>> RelatedAsync(long noteId, int limit, CancellationToken ct)
    {
        await CheckExistsAsync(noteId, ct);
        var settings = options.Value;
        if (await search.NeighboursAsync(noteId, Math.Max(limit + Spare, settings.Candidates), ct) is not { } neighbours)
        {
            return [];
        }

        var cached = await graphs.GetAsync(ct);
        var weights = new RelatedWeights(settings.LinkBonus, settings.SemanticBonus, settings.TopicBonus);
        var ranked = RelatedRanking.Rank(cached.Graph, cached.Topics, noteId, neighbours.Nearest, neighbours.Similarity, weights, limit + Spare);
        return await DescribeAsync(noteId, ranked, limit, ct);
    }

    /// <summary>Nearest notes by vectors alone (what related was before the graph took part).</summary>
    public async Task<IReadOnlyList<RelatedNote>> VectorNeighboursAsync(long noteId, int limit, CancellationToken ct)
    {
        await CheckExistsAsync(noteId, ct);
        var neighbours = await search.NeighboursAsync(noteId, limit + Spare, ct);
        return neighbours is null ? [] : await DescribeAsync(noteId, neighbours.Nearest, limit, ct);
    }

    private async Task CheckExistsAsync(long noteId, CancellationToken ct)
    {
        if ((await store.GetNotesAsync([noteId], [], ct)).Count == 0)
        {
            throw Core.NeptuneException.NotFound("Note", noteId);
        }
    }

    private async Task<IReadOnlyList<RelatedNote>> DescribeAsync(long noteId, IReadOnlyList<(long NoteId, double Score)> ranked, int limit, CancellationToken ct)
    {
        var linked = await store.LinkedNotesAsync(noteId, ct);
        var notes = (await store.GetNotesAsync([.. ranked.Select(n => n.NoteId)], [], ct)).ToDictionary(n => n.Note.Id);
        return [.. ranked.Where(n => notes.ContainsKey(n.NoteId)).Take(limit)
            .Select(n => new RelatedNote(notes[n.NoteId].Note, n.Score, linked.Contains(n.NoteId)))];
    }
}
