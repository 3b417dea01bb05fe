using Microsoft.Extensions.Options;
using Neptune.Api.Graph;
using Neptune.Core;
using Neptune.Core.Graph;
using Neptune.Data;

namespace Neptune.Api.Search;

/// <summary>
/// GET /api/notes/{id}/related: a note's vector neighbours re-ranked with what the graph knows about each pair (links,
/// semantic edges, shared topics weighted by how specific they are) and with unlinked mentions (one note naming the
/// other's title), plus the graph's own neighbours and the mentioned notes the vectors missed.
/// <see cref="VectorNeighboursAsync"/> is the plain vector ranking it improves on, kept as `neptune eval`'s baseline.
/// </summary>
public sealed class RelatedNotes(
    SearchEngine search, ISearchStore store, INoteSearch fullText, IWordCounts words, GraphCache graphs, IOptions<RelatedOptions> options)
{
    /// <summary>Candidates beyond the limit, for notes trashed since they were indexed.</summary>
    private const int Spare = 5;

    public async Task<IReadOnlyList<RelatedNote>> RelatedAsync(UserId user, long noteId, int limit, CancellationToken ct) =>
        await DescribeAsync(user, noteId, await RankAsync(user, noteId, limit + Spare, ct), limit, ct);

    /// <summary>Related notes by id and score, best first (trashed notes not yet dropped); empty until the note has vectors.</summary>
    public async Task<IReadOnlyList<(long NoteId, double Score)>> RankAsync(UserId user, long noteId, int limit, CancellationToken ct)
    {
        var note = await GetAsync(user, noteId, ct);
        var settings = options.Value;
        if (await search.NeighboursAsync(user, noteId, Math.Max(limit, settings.Candidates), ct) is not { } neighbours)
        {
            return [];
        }

        var cached = await graphs.GetAsync(user, ct);
        var weights = new RelatedWeights(settings.LinkBonus, settings.SemanticBonus, settings.TopicBonus);
        var mentions = await MentionsAsync(user, note, cached.Titles, settings, ct);
        var joining = RelatedRanking.Joining(cached.Graph, cached.Topics, noteId, weights, mentions).Except(neighbours.Nearest.Select(n => n.NoteId)).ToList();
        var similarity = await neighbours.SimilarityAsync(joining, ct);
        return RelatedRanking.Rank(cached.Graph, cached.Topics, noteId, neighbours.Nearest, similarity, weights, limit, mentions);
    }

    /// <summary>Nearest notes by vectors alone (what related was before the graph took part).</summary>
    public async Task<IReadOnlyList<RelatedNote>> VectorNeighboursAsync(UserId user, long noteId, int limit, CancellationToken ct)
    {
        await GetAsync(user, noteId, ct);
        var neighbours = await search.NeighboursAsync(user, noteId, limit + Spare, ct);
        return neighbours is null ? [] : await DescribeAsync(user, noteId, neighbours.Nearest, limit, ct);
    }

    private async Task<ChunkedNote> GetAsync(UserId user, long noteId, CancellationToken ct) =>
        await store.GetNotesAsync(user, [noteId], [], ct) is [var note, ..] ? note : throw NeptuneException.NotFound("Note", noteId);

    /// <summary>
    /// Notes whose titles this note names, and notes that name its title (full text, as a phrase), each weighted by how
    /// specific the title is: naming "printf" says more than naming "test".
    /// </summary>
    private async Task<Dictionary<long, double>> MentionsAsync(UserId user, ChunkedNote note, TitleMentions titles, RelatedOptions settings, CancellationToken ct)
    {
        var bonus = new Dictionary<long, double>();
        var named = settings.MentionBonus > 0 ? titles.In(note.Content) : [];
        named.Remove(note.Note.Id);
        var own = settings.MentionedByBonus > 0 ? titles.TitleOf(note.Note.Id) : null;
        if (named.Count == 0 && own is null)
        {
            return bonus;
        }

        var counts = await words.CountAsync([.. named.Values.SelectMany(t => t).Concat(own ?? []).Distinct(StringComparer.Ordinal)], ct);
        var most = Math.Log(1 + counts.Notes);
        double Specificity(IReadOnlyList<string> title) => most > 0 ? title.Max(counts.Idf) / most : 0;
        foreach (var (id, title) in named)
        {
            bonus[id] = settings.MentionBonus * Specificity(title);
        }

        if (own is not null)
        {
            IReadOnlyList<SearchHit> naming;
            try
            {
                naming = await fullText.SearchAsync(user, new SearchRequest($"\"{string.Join(' ', own)}\"", settings.MentionedByDepth, null, null, Snippets: false), ct);
            }
            catch (NeptuneException)
            {
                naming = [];  // a title full text cannot search for (all stop words, say) names nothing
            }

            var weight = settings.MentionedByBonus * Specificity(own);
            foreach (var hit in naming.Where(h => h.Note.Id != note.Note.Id))
            {
                bonus[hit.Note.Id] = bonus.GetValueOrDefault(hit.Note.Id) + weight;
            }
        }

        return bonus;
    }

    private async Task<IReadOnlyList<RelatedNote>> DescribeAsync(UserId user, long noteId, IReadOnlyList<(long NoteId, double Score)> ranked, int limit, CancellationToken ct)
    {
        var linked = await store.LinkedNotesAsync(noteId, ct);
        var notes = (await store.GetNotesAsync(user, [.. ranked.Select(n => n.NoteId)], [], ct)).ToDictionary(n => n.Note.Id);
        return [.. ranked.Where(n => notes.ContainsKey(n.NoteId)).Take(limit)
            .Select(n => new RelatedNote(notes[n.NoteId].Note, n.Score, linked.Contains(n.NoteId)))];
    }
}
