using System.ComponentModel.DataAnnotations;

namespace Neptune.Data;

/// <summary>Ranking knobs (full text, semantic, hybrid), bound from "Neptune:Search"; the defaults are tuned on the man-page dev queries (bench/).</summary>
public sealed class SearchOptions
{
    public const string Section = "Neptune:Search";
    public const string MemoryVectors = "memory";
    public const string PgvectorVectors = "pgvector";

    /// <summary>
    /// Where semantic search finds nearest chunks: "memory" (an exact index of every vector in each process) or
    /// "pgvector" (the model's HNSW index in PostgreSQL). Unset: pgvector on PostgreSQL, memory on SQLite.
    /// </summary>
    [RegularExpression("^(memory|pgvector)$", ErrorMessage = "Neptune:Search:Vectors must be 'memory' or 'pgvector' (or unset: pgvector on PostgreSQL, memory on SQLite).")]
    public string? Vectors { get; set; }

    /// <summary>pgvector's least hnsw.ef_search for a query (see <see cref="HnswEfPerChunk"/>): higher finds more of the true nearest, slower.</summary>
    [Range(1, 1000)]
    public int HnswEfSearch { get; set; } = 40;

    /// <summary>
    /// hnsw.ef_search per chunk a query asks for (at least <see cref="HnswEfSearch"/>, at most pgvector's 1,000). HNSW
    /// finds the tail of a list as long as its candidate list poorly: with ef_search = k, a text query's 60 nearest
    /// chunks came back with 94 % of the true ones and 2.6 % of its top 10 notes missing (full man corpus, bench/).
    /// </summary>
    [Range(1, 20)]
    public int HnswEfPerChunk { get; set; } = 4;

    /// <summary>The hnsw.ef_search a query for <paramref name="chunks"/> nearest chunks runs with.</summary>
    public int EfSearchFor(int chunks) => (int)Math.Clamp(Math.Max(HnswEfSearch, (long)HnswEfPerChunk * chunks), 1, PgvectorMaxEfSearch);

    /// <summary>pgvector's largest hnsw.ef_search.</summary>
    public const int PgvectorMaxEfSearch = 1000;

    /// <summary>Whether vectors are searched in PostgreSQL, given the database in use.</summary>
    public bool UsesPgvector(DatabaseOptions database) => Vectors is null ? database.IsPostgres : Vectors == PgvectorVectors;

    /// <summary>bm25 weight of the title column relative to the body (1.0).</summary>
    [Range(0.1, 100)]
    public double TitleWeight { get; set; } = 4.0;

    /// <summary>When fewer notes than asked for contain every word, fill up with notes that contain some of them.</summary>
    public bool FallbackToAnyTerm { get; set; } = true;

    /// <summary>
    /// Bare words found in more than this share of notes are left out of the match: bm25 gives them no weight, yet
    /// their long posting lists dominate query time. 1.0 keeps every word.
    /// </summary>
    [Range(0.05, 1.0)]
    public double CommonWordShare { get; set; } = 0.5;

    /// <summary>
    /// Long queries (this many bare words or more) skip the all-words pass and rank the rarest words at once:
    /// bm25 already puts notes with every word first, and one pass costs half of two.
    /// </summary>
    [Range(2, 1000)]
    public int SinglePassFromWords { get; set; } = 4;

    /// <summary>The any-term pass uses only this many of the rarest words: they carry the ranking, and each extra common word widens the scan.</summary>
    [Range(1, 64)]
    public int FallbackMaxWords { get; set; } = 5;

    /// <summary>
    /// The any-term pass scores only notes holding one of the rarest words whose postings (notes holding them, summed)
    /// fit in this, each with all its words (<see cref="MatchWords"/>): scoring is per note, so this bounds the pass's work
    /// however large the collection grows. Below it (collections under a few thousand notes) nothing changes.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long CandidatePostings { get; set; } = 10_000;

    /// <summary>Below this many notes every word is kept, so small collections match exactly what was typed.</summary>
    [Range(0, int.MaxValue)]
    public int CommonWordMinNotes { get; set; } = 500;

    /// <summary>How hybrid search merges the two rankings: "rrf" (reciprocal rank fusion) or "convex" (weighted normalised scores).</summary>
    [RegularExpression("^(rrf|convex)$", ErrorMessage = "Neptune:Search:Fusion must be 'rrf' or 'convex'.")]
    public string Fusion { get; set; } = "convex";

    /// <summary>RRF's k: larger values flatten the advantage of the very top ranks.</summary>
    [Range(0, 1000)]
    public double RrfK { get; set; } = 60;

    /// <summary>Weight of the semantic ranking in RRF (the full-text ranking weighs 1).</summary>
    [Range(0, 10)]
    public double SemanticWeight { get; set; } = 1;

    /// <summary>Share of the semantic score in the convex combination (0 = full text only, 1 = semantic only).</summary>
    [Range(0, 1)]
    public double ConvexAlpha { get; set; } = 0.6;

    /// <summary>Candidates taken from each ranking before fusing.</summary>
    [Range(10, 1000)]
    public int FusionDepth { get; set; } = 50;

    /// <summary>Chunks fetched per note wanted, so the note list still fills up when several chunks of one note match.</summary>
    [Range(1, 64)]
    public int ChunksPerNote { get; set; } = 4;

    /// <summary>Added to the cosine of a note's first chunk (its title and opening) before the best chunk is picked.</summary>
    [Range(0, 1)]
    public double LeadChunkBonus { get; set; } = 0.03;

    /// <summary>Added to a note's score for each other chunk of it among the hits (at most three); 0 measured best.</summary>
    [Range(0, 1)]
    public double ExtraChunkBonus { get; set; }
}
