using Neptune.Core.Vectors;

namespace Neptune.Core.Tests.Vectors;

public sealed class ExactVectorIndexTests
{
    private static float[] Unit(params float[] values)
    {
        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return [.. values.Select(v => v / norm)];
    }

    [Fact]
    public void Search_returns_the_most_similar_chunks_best_first()
    {
        using var index = new ExactVectorIndex(1, 3);
        index.ReplaceNote(10, [new(100, Unit(1, 0, 0)), new(101, Unit(0, 1, 0))]);
        index.ReplaceNote(20, [new(200, Unit(1, 1, 0))]);

        var hits = index.Search(Unit(1, 0.1f, 0), 2);

        Assert.Equal([100L, 200L], hits.Select(h => h.ChunkId));
        Assert.Equal(10, hits[0].NoteId);
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public void Replacing_a_note_drops_its_old_chunks_and_reuses_their_slots()
    {
        using var index = new ExactVectorIndex(1, 2);
        index.ReplaceNote(1, [new(1, Unit(1, 0)), new(2, Unit(0, 1))]);

        index.ReplaceNote(1, [new(3, Unit(1, 1))]);

        Assert.Equal(1, index.Count);
        Assert.Equal(1, index.NoteCount);
        Assert.Equal(3, Assert.Single(index.Search(Unit(1, 0), 10)).ChunkId);
    }

    [Fact]
    public void Removed_and_filtered_notes_are_never_returned()
    {
        using var index = new ExactVectorIndex(1, 2);
        index.ReplaceNote(1, [new(1, Unit(1, 0))]);
        index.ReplaceNote(2, [new(2, Unit(1, 0.1f))]);
        index.ReplaceNote(3, [new(3, Unit(1, 0.2f))]);

        index.RemoveNote(1);
        var hits = index.Search(Unit(1, 0), 10, note => note != 3);

        Assert.Equal(2, Assert.Single(hits).NoteId);
    }

    [Fact]
    public void Vectors_of_another_size_are_refused()
    {
        using var index = new ExactVectorIndex(1, 3);

        Assert.Throws<ArgumentException>(() => index.ReplaceNote(1, [new(1, [1, 0])]));
        Assert.Throws<ArgumentException>(() => index.Search(new float[2], 1));
    }

    [Fact]
    public void It_grows_past_its_first_capacity_and_finds_every_vector()
    {
        using var index = new ExactVectorIndex(1, 4);
        var random = new Random(7);
        var vectors = Enumerable.Range(1, 3000).Select(_ => Unit([.. Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() - 0.5f)])).ToList();
        for (var i = 0; i < vectors.Count; i++)
        {
            index.ReplaceNote(i + 1, [new(i + 1, vectors[i])]);
        }

        Assert.Equal(3000, index.Count);
        foreach (var i in (int[])[0, 1500, 2999])
        {
            Assert.Equal(i + 1, index.Search(vectors[i], 1)[0].ChunkId);
        }
    }

    [Fact]
    public void The_quantised_scan_returns_the_same_top_10_as_the_float_scan()
    {
        var random = new Random(11);
        using var index = new ExactVectorIndex(1, 384, 2000);
        using var full = new ExactVectorIndex(1, 384, 2000, precision: VectorPrecision.Full);
        for (var note = 1; note <= 2000; note++)
        {
            var vector = Unit([.. Enumerable.Range(0, 384).Select(_ => (float)random.NextDouble() - 0.5f)]);
            index.Add(note, note, vector);
            full.Add(note, note, vector);
        }

        for (var q = 0; q < 20; q++)
        {
            var query = Unit([.. Enumerable.Range(0, 384).Select(_ => (float)random.NextDouble() - 0.5f)]);
            var exact = full.Search(query, 10, null, VectorScan.Full);
            var quantised = index.Search(query, 10, null, VectorScan.Default);
            Assert.Equal(exact.Select(h => h.ChunkId), quantised.Select(h => h.ChunkId));
            Assert.InRange(Math.Abs(exact[0].Score - quantised[0].Score), 0, 1e-4);  // re-ranked from float16 copies
            Assert.Equal(index.Search(query, 10, null, VectorScan.Full).Select(h => h.Score), quantised.Select(h => h.Score));  // the same kept vectors
            Assert.Equal(full.Search(query, 10, null, VectorScan.Default).Select(h => h.ChunkId), exact.Select(h => h.ChunkId));
        }
    }

    [Fact]
    public void The_compact_index_keeps_two_fifths_less_than_float32_copies()
    {
        using var compact = new ExactVectorIndex(1, 384, 1000);
        using var full = new ExactVectorIndex(1, 384, 1000, precision: VectorPrecision.Full);

        Assert.Equal(VectorPrecision.Compact, compact.Precision);
        Assert.Equal(1000 * ((384 * 3) + 24), compact.ArrayBytes);  // int8 codes + float16 copies + ids
        Assert.Equal(1000 * ((384 * 5) + 24), full.ArrayBytes);
    }

    [Fact]
    public void Note_vector_is_the_unit_mean_of_its_chunks()
    {
        using var index = new ExactVectorIndex(1, 2);
        index.ReplaceNote(5, [new(1, Unit(1, 0)), new(2, Unit(0, 1))]);

        var mean = index.NoteVector(5)!;

        Assert.Equal(MathF.Sqrt(0.5f), mean[0], 5);
        Assert.Equal(MathF.Sqrt(0.5f), mean[1], 5);
        Assert.Null(index.NoteVector(6));
    }

    [Fact]
    public void Added_chunks_join_their_note_and_replacing_the_note_drops_them_all()
    {
        using var index = new ExactVectorIndex(1, 2);
        index.Add(7, 70, Unit(1, 0));
        index.Add(7, 71, Unit(0, 1));

        Assert.Equal(2, index.Count);
        Assert.Equal(1, index.NoteCount);
        index.ReplaceNote(7, []);
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search(Unit(1, 0), 5));
    }
}
