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
}
