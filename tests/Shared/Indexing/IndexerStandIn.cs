using Microsoft.Extensions.DependencyInjection;
using Neptune.Core.Chunking;
using Neptune.Data;
using Neptune.Llm.Contract;
using Neptune.Llm.Models;
using Neptune.Llm.Onnx;

namespace Neptune.Testing;

/// <summary>
/// A STAND-IN FOR THE INDEXER (issue 4 part 1), for search tests and the search benchmark until the real one lands:
/// chunks notes with the real chunker and MiniLM token counter, embeds the chunks with the real embedded model and
/// writes chunks, embeddings and note_index rows through the indexer's own store (either database), then tells the vector search (an in-memory index takes the vectors).
/// Swap it for the indexer's own entry point once that exists; nothing in src/ depends on it.
/// </summary>
public sealed class IndexerStandIn(IServiceProvider services)
{
    private readonly INoteIndexStore _store = services.GetRequiredService<INoteIndexStore>();
    private readonly LocalLlmService _llm = services.GetRequiredService<LocalLlmService>();
    private readonly IVectorSearch _vectors = services.GetRequiredService<IVectorSearch>();

    /// <summary>Chunks, embeds and stores the given notes (their current content and version); returns the chunks written.</summary>
    public async Task<int> IndexAsync(IReadOnlyCollection<long> noteIds, CancellationToken ct, IProgress<int>? progress = null)
    {
        var model = await services.GetRequiredService<ModelRegistry>().EnsureActiveAsync(ct);
        var chunker = new Chunker(services.GetRequiredService<OnnxEmbeddingSource>().Generator.CountTokens);
        var notes = (await _store.ReadAsync(noteIds, ct)).Select(n => (Id: n.NoteId, n.Version, Chunks: chunker.Split(n.Content))).ToList();

        var written = 0;
        foreach (var batch in notes.Chunk(16))
        {
            var texts = batch.SelectMany(n => n.Chunks.Select(c => c.Text)).ToList();
            var vectors = texts.Count == 0 ? [] : (await _llm.EmbedAsync(new EmbeddingsRequest(texts), ct)).Vectors;
            var next = 0;
            foreach (var note in batch)
            {
                var chunks = note.Chunks.Select(chunk => new ChunkToStore(chunk.Ordinal, chunk.Start, chunk.End, 0, vectors[next++])).ToList();
                var stored = await _store.WriteAsync(new NoteIndexWrite(note.Id, note.Version, model.Id, chunks, "stand-in", [], [], []), [], ct);

                // After the commit, as the indexer does: the index never holds vectors the database does not.
                if (stored is not null)
                {
                    await _vectors.NoteChangedAsync(model.Id, model.Dimensions, note.Id, stored, ct);
                }
            }

            written += texts.Count;
            progress?.Report(written);
        }

        return written;
    }
}
