using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Data;
using Neptune.Indexer.Graph;
using Neptune.Llm;
using Neptune.Llm.Contract;

namespace Neptune.Indexer.Pipeline;

/// <summary>
/// One leased batch: each note is brought up to date with its current state. A trashed or missing note has its rows
/// removed, an up-to-date one is skipped, the others are chunked, embedded together, given topics and edges, and written
/// one transaction per note (which completes its jobs); an in-memory vector index follows each commit. Every job kind
/// converges on the same result, so a job run twice, or an index and a remove job of one note, end in the same rows.
/// A batch runs in two steps: <see cref="PrepareAsync"/> does the model's work, <see cref="CommitAsync"/> the writes, so
/// the worker can write one batch while the model works on the next.
/// </summary>
public sealed class IndexPipeline(
    INoteIndexStore store, IJobQueue queue, IModelStore models, ILlmService llm, IVectorSearch vectors, NoteChunker chunker, SemanticEdges semanticEdges,
    IOptions<GraphOptions> graph, IOptions<LlmOptions> llmOptions, IndexerMetrics metrics, ILogger<IndexPipeline> logger)
{
    private readonly LlmSteps _llm = new(llm, store, llmOptions, logger);

    public async Task<IReadOnlyList<JobOutcome>> RunAsync(IReadOnlyList<LeasedJob> jobs, CancellationToken ct) =>
        await CommitAsync(await PrepareAsync(jobs, ct), ct);

    /// <summary>
    /// Reads the batch's notes; removes, skips or refreshes those that need no model; chunks, embeds and gives topics
    /// (and their new relations) to the others. Nothing of theirs is written yet.
    /// </summary>
    public async Task<PreparedBatch> PrepareAsync(IReadOnlyList<LeasedJob> jobs, CancellationToken ct)
    {
        var batch = new PreparedBatch(jobs);
        batch.Outcomes.AddRange(jobs.Where(j => j.NoteId is null).Select(j => new JobOutcome(j, JobResult.Failed, $"Job {j.Id} ({j.Kind}) names no note.")));
        var byNote = jobs.Where(j => j.NoteId is not null).GroupBy(j => j.NoteId!.Value).ToDictionary(g => g.Key, g => (IReadOnlyList<LeasedJob>)[.. g]);
        var sources = (await store.ReadAsync(byNote.Keys, ct)).ToDictionary(s => s.NoteId);
        var active = await models.GetActiveAsync(ct);
        foreach (var (noteId, group) in byNote)
        {
            try
            {
                var work = await TriageAsync(noteId, group, sources.GetValueOrDefault(noteId), active, ct);
                if (work is null)
                {
                    batch.Outcomes.AddRange(group.Select(j => new JobOutcome(j, JobResult.Done)));
                }
                else
                {
                    batch.Notes.Add(work);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var result = e is NoActiveModelException ? JobResult.Unavailable : JobResult.Failed;
                batch.Outcomes.AddRange(group.Select(j => new JobOutcome(j, result, e.Message)));
            }
        }

        if (batch.Notes.Count > 0)
        {
            var clock = Stopwatch.StartNew();
            foreach (var note in batch.Notes)
            {
                note.Chunks = chunker.Split(note.Source.Title, note.Source.Content);
            }

            batch.Chunking = clock.Elapsed;
            await _llm.EmbedAndExtractAsync(batch.Notes, ct);
            batch.Embedding = clock.Elapsed - batch.Chunking;
            batch.Relations = await _llm.ScoreRelationsAsync([.. batch.Notes.Where(n => n.Stopped is null)], graph.Value.MaxRelationPairs, ct);
            batch.Scoring = clock.Elapsed - batch.Chunking - batch.Embedding;
        }

        return batch;
    }

    /// <summary>Writes each prepared note (its edges computed now, against the index as it is), one transaction per note; every job's outcome.</summary>
    public async Task<IReadOnlyList<JobOutcome>> CommitAsync(PreparedBatch batch, CancellationToken ct)
    {
        if (batch.Notes.Count > 0)
        {
            await WriteAllAsync(batch, ct);
            foreach (var note in batch.Notes)
            {
                var (result, error) = note.Stopped ?? (JobResult.Done, null!);
                batch.Outcomes.AddRange(note.Jobs.Select(j => new JobOutcome(j, result, error)));
            }
        }

        return batch.Outcomes;
    }

    /// <summary>Removes, skips or refreshes the note right away; returns it when it needs indexing.</summary>
    private async Task<NoteWork?> TriageAsync(long noteId, IReadOnlyList<LeasedJob> group, IndexSource? source, EmbeddingModel? active, CancellationToken ct)
    {
        if (source is not { Live: true })
        {
            await RemoveAsync(noteId, group, active, ct);
            return null;
        }

        if (active is null)
        {
            throw new NoActiveModelException();
        }

        var upToDate = source.State == "indexed" && source.IndexedVersion == source.Version && source.IndexedModelId == active.Id;
        if (group.All(j => j.Kind == JobKinds.RefreshEdges) || upToDate)
        {
            // A note not indexed yet gets its edges from its index job; an up-to-date one needs no embedding.
            await RefreshOrCompleteAsync(source, group, upToDate && group.Any(j => j.Kind == JobKinds.RefreshEdges), active, ct);
            metrics.Notes("skipped");
            return null;
        }

        return new NoteWork(source, group) { ModelId = active.Id, Dimensions = active.Dimensions };
    }

    private async Task WriteAllAsync(PreparedBatch batch, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        foreach (var note in batch.Notes.Where(n => n.Stopped is null))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await WriteAsync(note, batch.Relations, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Indexing note {NoteId} failed", note.NoteId);
                note.Stopped = (JobResult.Failed, e.Message);
            }

            // Let API requests waiting for the database or the CPU in between notes.
            await Task.Yield();
        }

        var notes = batch.Notes;
        logger.LogDebug("Indexed {Notes} notes ({Chunks} chunks): chunking {Chunking} ms, embedding and topics {Embedding} ms, relations {Relations} ms, edges and writes {Writes} ms",
            notes.Count, notes.Sum(n => n.Chunks.Count), (int)batch.Chunking.TotalMilliseconds, (int)batch.Embedding.TotalMilliseconds,
            (int)batch.Scoring.TotalMilliseconds, (int)clock.Elapsed.TotalMilliseconds);
        metrics.Notes("failed", notes.Count(n => n.Stopped?.Result == JobResult.Failed));
        metrics.Notes("waiting", notes.Count(n => n.Stopped?.Result == JobResult.Unavailable));
    }

    private async Task WriteAsync(NoteWork note, IReadOnlyDictionary<(string A, string B), RelationToStore> relations, CancellationToken ct)
    {
        var edges = await semanticEdges.ComputeAsync(note.NoteId, note.Vectors, note.ModelId, ct);
        var chunks = note.Chunks.Select((c, i) => new ChunkToStore(c.Ordinal, c.Start, c.End, c.Tokens, note.Vectors[i])).ToList();
        var noteRelations = LlmSteps.Pairs(note.Topics).Select(p => relations.GetValueOrDefault(p)).OfType<RelationToStore>().ToList();
        var write = new NoteIndexWrite(note.NoteId, note.Source.Version, note.ModelId, chunks, note.TopicSource, note.Topics, edges, noteRelations);
        var stored = await store.WriteAsync(write, [.. note.Jobs.Select(j => j.Id)], ct);
        if (stored is null)
        {
            await vectors.NoteChangedAsync(note.ModelId, note.Dimensions, note.NoteId, [], ct);
            metrics.Notes("removed");
            return;
        }

        await vectors.NoteChangedAsync(note.ModelId, note.Dimensions, note.NoteId, stored, ct);
        metrics.Notes("indexed");
        metrics.Embedded(chunks.Count, note.Tokens);
    }

    private async Task RemoveAsync(long noteId, IReadOnlyList<LeasedJob> jobs, EmbeddingModel? active, CancellationToken ct)
    {
        await store.RemoveAsync(noteId, [.. jobs.Select(j => j.Id)], ct);
        if (active is not null)
        {
            await vectors.NoteChangedAsync(active.Id, active.Dimensions, noteId, [], ct);
        }

        metrics.Notes("removed");
    }

    private async Task RefreshOrCompleteAsync(IndexSource source, IReadOnlyList<LeasedJob> jobs, bool refresh, EmbeddingModel active, CancellationToken ct)
    {
        var jobIds = jobs.Select(j => j.Id).ToList();
        if (!refresh)
        {
            await queue.CompleteAsync(jobIds, ct);
            return;
        }

        var stored = await store.GetVectorsAsync(source.NoteId, active.Id, ct);
        var edges = await semanticEdges.ComputeAsync(source.NoteId, stored, active.Id, ct);
        await store.WriteSemanticEdgesAsync(source.NoteId, edges, jobIds, ct);
    }
}

/// <summary>No embedding model is active yet (the llm role has not registered one): the jobs wait.</summary>
internal sealed class NoActiveModelException() : Exception("No embedding model is active yet.");

/// <summary>A batch the model is done with: what it came to so far, and the notes (with their vectors and topics) left to write.</summary>
public sealed class PreparedBatch
{
    internal PreparedBatch(IReadOnlyList<LeasedJob> jobs) => Jobs = jobs;

    /// <summary>A batch whose preparation threw: every job fails with <paramref name="error"/>.</summary>
    internal static PreparedBatch Failed(IReadOnlyList<LeasedJob> jobs, string error)
    {
        var batch = new PreparedBatch(jobs);
        batch.Outcomes.AddRange(jobs.Select(j => new JobOutcome(j, JobResult.Failed, error)));
        return batch;
    }

    public IReadOnlyList<LeasedJob> Jobs { get; }

    /// <summary>Some of its notes could not go on because the model is unavailable.</summary>
    public bool WaitsForModel => Outcomes.Any(o => o.Result == JobResult.Unavailable) || Notes.Any(n => n.Stopped?.Result == JobResult.Unavailable);

    internal List<JobOutcome> Outcomes { get; } = [];

    internal List<NoteWork> Notes { get; } = [];

    internal IReadOnlyDictionary<(string A, string B), RelationToStore> Relations { get; set; } = new Dictionary<(string, string), RelationToStore>();

    internal TimeSpan Chunking { get; set; }

    internal TimeSpan Embedding { get; set; }

    internal TimeSpan Scoring { get; set; }
}
