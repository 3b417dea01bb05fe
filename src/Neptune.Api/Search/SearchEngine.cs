using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Core.Notes;
using Neptune.Core.Search;
using Neptune.Core.Vectors;
using Neptune.Data;
using Neptune.Llm;
using Neptune.Llm.Contract;

namespace Neptune.Api.Search;

/// <summary>One search: <see cref="From"/> (inclusive) and <see cref="To"/> (exclusive) bound the note's last update.</summary>
public sealed record SearchQuery(string Text, SearchMode Mode, int Limit, long? FolderId = null, string? Tag = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>The chunk of a note that matched the query's meaning: its place in the note and a short excerpt (null when the note changed since it was indexed).</summary>
public sealed record MatchedChunk(int Ordinal, string? Text);

/// <summary>Why a note was found: its full-text rank and bm25 score, its semantic score (cosine of its best chunk) and that chunk; null where a ranking did not place it among its candidates.</summary>
public sealed record SearchWhy(int? FtsRank, double? FtsScore, double? SemanticScore, MatchedChunk? Chunk);

public sealed record FoundNote(NoteSummary Note, double Score, string Snippet, SearchWhy Why);

/// <summary>The mode that actually ran, and why it is not the one asked for (or why results are missing) when so.</summary>
public sealed record SearchOutcome(SearchMode Mode, string? Degraded, IReadOnlyList<FoundNote> Results);

public sealed record RelatedNote(NoteSummary Note, double Score, bool Linked);

/// <summary>A note's vector neighbours, best first, and its vector similarity to other notes (one read for all of them).</summary>
public sealed record NoteNeighbours(
    IReadOnlyList<(long NoteId, double Similarity)> Nearest, Func<IReadOnlyCollection<long>, CancellationToken, Task<Func<long, double>>> SimilarityAsync);

/// <summary>
/// Full-text, semantic and hybrid search over the stores, the vector search and the llm role. Ranking itself is Core's
/// (<see cref="ChunkAggregation"/>, <see cref="RankFusion"/>); this class fetches, filters and explains.
/// </summary>
public sealed class SearchEngine(
    INoteSearch fullText, ISearchStore store, ILlmService llm, IModelStore models, IVectorSearch vectors, IOptions<SearchOptions> options,
    ForegroundWork? foreground = null)
{
    private const string NoVectors = "The active model has no vectors yet (notes are still being indexed)";

    /// <summary>Candidates beyond the limit, for notes trashed since they were indexed (dropped when the page is read).</summary>
    private const int Spare = 5;

    public async Task<SearchOutcome> SearchAsync(UserId user, SearchQuery query, CancellationToken ct)
    {
        // Someone waits for this answer: the indexer's embedding in this process gives way until it is out.
        using var interactive = foreground?.Enter();
        var words = FtsQuery.Parse(query.Text);  // validates q the same way in every mode
        var limit = Math.Clamp(query.Limit, 1, 200);
        var index = await ActiveModelAsync(ct);
        var mode = query.Mode == SearchMode.Auto ? (index is null ? SearchMode.Fts : SearchMode.Hybrid) : query.Mode;
        if (mode == SearchMode.Fts || (index is null && mode == SearchMode.Hybrid))
        {
            return new(SearchMode.Fts, mode == SearchMode.Fts ? null : $"{NoVectors}: these are full-text results.", FromFullText(await FullTextAsync(user, query, limit, ct)));
        }

        if (index is null)
        {
            return new(SearchMode.Semantic, $"{NoVectors}: semantic search has nothing to search.", []);
        }

        var settings = options.Value;
        var depth = mode == SearchMode.Hybrid ? Math.Max(limit, settings.FusionDepth) : limit + Spare;
        // Full text runs while the query is embedded: two cores, two independent waits.
        var fullTextTask = mode == SearchMode.Hybrid ? FullTextAsync(user, query, depth, ct, snippets: false) : Task.FromResult<IReadOnlyList<SearchHit>>([]);
        // The user's notes (null on the desktop, where every note is the user's): the vectors are shared by all users.
        var filter = store.FilterAsync(user, query.FolderId, query.Tag, query.From, query.To, ct);
        (float[] Vector, long ModelId, int Dimensions)? embedded;
        try
        {
            embedded = await EmbedAsync(query.Text, ct);
        }
        catch (LlmException e) when (mode == SearchMode.Hybrid)
        {
            return new(SearchMode.Fts, $"Semantic search is unavailable ({e.Message}): these are full-text results.", FromFullText(await FullTextAsync(user, query, limit, ct)));
        }

        if (embedded is not { } semanticIndex)
        {
            return mode == SearchMode.Hybrid
                ? new(SearchMode.Fts, $"{NoVectors}: these are full-text results.", FromFullText(await FullTextAsync(user, query, limit, ct)))
                : new(SearchMode.Semantic, $"{NoVectors}: semantic search has nothing to search.", []);
        }

        var accepted = await filter;
        var hits = await vectors.SearchAsync(
            new VectorQuery(semanticIndex.ModelId, semanticIndex.Dimensions, semanticIndex.Vector, depth * settings.ChunksPerNote, accepted), ct);
        var leads = settings.LeadChunkBonus > 0 ? await store.LeadChunksAsync([.. hits.Select(h => h.ChunkId)], ct) : null;
        var scoring = new ChunkScoring(settings.LeadChunkBonus, settings.ExtraChunkBonus);
        var semantic = ChunkAggregation.ByNote(hits, scoring, leads is null ? null : leads.Contains).Take(depth).ToList();
        var fullTextHits = await fullTextTask;
        var ranking = mode == SearchMode.Semantic
            ? semantic.Select((s, i) => new FusedNote(s.NoteId, s.Score, null, i + 1)).ToList()
            : Fuse(fullTextHits, semantic, settings);
        return new(mode, null, await DescribeAsync(user, ranking, limit, fullTextHits, semantic, words, ct));
    }

    /// <summary>
    /// The notes nearest to a note in meaning (its mean vector against every chunk, best chunk per note), best first,
    /// and its similarity to any note (mean vector to mean vector); null when the note has no vectors yet.
    /// </summary>
    public async Task<NoteNeighbours?> NeighboursAsync(UserId user, long noteId, int limit, CancellationToken ct)
    {
        if (await ActiveModelAsync(ct) is not { } model
            || (await vectors.NoteVectorsAsync(model.Id, model.Dimensions, [noteId], ct)).GetValueOrDefault(noteId) is not { } vector)
        {
            return null;
        }

        var owned = await store.FilterAsync(user, null, null, null, null, ct);
        var hits = await vectors.SearchAsync(new VectorQuery(model.Id, model.Dimensions, vector, limit * options.Value.ChunksPerNote, owned, ExceptNote: noteId), ct);
        var nearest = ChunkAggregation.ByNote(hits).Take(limit).Select(n => (n.NoteId, n.Score)).ToList();
        return new NoteNeighbours(nearest, async (ids, token) =>
        {
            var others = await vectors.NoteVectorsAsync(model.Id, model.Dimensions, [.. ids.Where(id => owned is null || owned.Contains(id))], token);
            return id => others.TryGetValue(id, out var other) ? VectorMath.Dot(vector, other) : 0;
        });
    }

    private static List<FusedNote> Fuse(IReadOnlyList<SearchHit> fullText, List<NoteMatch> semantic, SearchOptions settings) => settings.Fusion == "convex"
        ? [.. RankFusion.Convex([.. fullText.Select(h => (h.Note.Id, h.Score))], [.. semantic.Select(s => (s.NoteId, s.Score))], settings.ConvexAlpha)]
        : [.. RankFusion.Reciprocal([.. fullText.Select(h => h.Note.Id)], [.. semantic.Select(s => s.NoteId)], settings.RrfK, 1, settings.SemanticWeight)];

    private async Task<IReadOnlyList<FoundNote>> DescribeAsync(
        UserId user, List<FusedNote> ranking, int limit, IReadOnlyList<SearchHit> fullText, List<NoteMatch> semantic, FtsQuery words, CancellationToken ct)
    {
        var top = ranking.Take(limit + Spare).ToList();
        var matches = semantic.ToDictionary(s => s.NoteId);
        var chunkIds = top.Where(t => matches.ContainsKey(t.NoteId)).Select(t => matches[t.NoteId].ChunkId).ToList();
        var notes = (await store.GetNotesAsync(user, [.. top.Select(t => t.NoteId)], chunkIds, ct)).ToDictionary(n => n.Note.Id);
        var hits = fullText.ToDictionary(h => h.Note.Id);
        var results = new List<FoundNote>(limit);
        foreach (var fused in top.Where(t => notes.ContainsKey(t.NoteId)).Take(limit))
        {
            var note = notes[fused.NoteId];
            var hit = hits.GetValueOrDefault(fused.NoteId);
            var match = matches.GetValueOrDefault(fused.NoteId);
            var chunk = match is null ? null : note.Chunks.FirstOrDefault(c => c.ChunkId == match.ChunkId);
            var chunkText = chunk is null ? null : note.TextOf(chunk);
            // The matched chunk when its offsets still fit the note, unless full text found the note and the chunk
            // shows none of the query's words: then, as without a chunk, the passage of the note that does.
            var snippet = chunkText is null ? Snippet.Build(note.Content, words) : Snippet.Build(chunkText, words);
            if (chunkText is not null && hit is not null && !snippet.Contains("<mark>", StringComparison.Ordinal))
            {
                snippet = Snippet.Build(note.Content, words);
            }

            var why = new SearchWhy(hit?.FtsRank, hit?.Score, match?.ChunkScore, chunk is null ? null : new MatchedChunk(chunk.Ordinal, Excerpt(chunkText)));
            results.Add(new FoundNote(note.Note, fused.Score, snippet, why));
        }

        return results;
    }

    private static IReadOnlyList<FoundNote> FromFullText(IReadOnlyList<SearchHit> hits) =>
        [.. hits.Select(h => new FoundNote(h.Note, h.Score, h.Snippet, new SearchWhy(h.FtsRank, h.Score, null, null)))];

    /// <summary>Fusion needs only the ranking: snippets are built afterwards, for the notes that make the page.</summary>
    private Task<IReadOnlyList<SearchHit>> FullTextAsync(UserId user, SearchQuery query, int limit, CancellationToken ct, bool snippets = true) =>
        fullText.SearchAsync(user, new SearchRequest(query.Text, limit, query.FolderId, query.Tag, query.From, query.To, snippets), ct);

    /// <summary>The active model, or null when no model is active or it has no vectors yet.</summary>
    private async Task<EmbeddingModel?> ActiveModelAsync(CancellationToken ct)
    {
        var model = await models.GetActiveAsync(ct);
        return model is not null && await vectors.HasVectorsAsync(model.Id, model.Dimensions, ct) ? model : null;
    }

    /// <summary>The query's vector and the model that made it (the active one may have changed meanwhile), or null when that model has no vectors.</summary>
    private async Task<(float[] Vector, long ModelId, int Dimensions)?> EmbedAsync(string text, CancellationToken ct)
    {
        var embedded = await llm.EmbedAsync(new EmbeddingsRequest([text]), ct);
        return await vectors.HasVectorsAsync(embedded.ModelId, embedded.Dimensions, ct) ? (embedded.Vectors[0], embedded.ModelId, embedded.Dimensions) : null;
    }

    /// <summary>About 160 characters of the chunk on one line, cut at a word.</summary>
    private static string? Excerpt(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (line.Length <= 160)
        {
            return line;
        }

        var cut = line.LastIndexOf(' ', 160);
        return string.Concat(line.AsSpan(0, cut > 80 ? cut : 160), "…");
    }
}
