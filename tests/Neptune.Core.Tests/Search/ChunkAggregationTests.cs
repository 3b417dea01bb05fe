using Neptune.Core.Search;
using Neptune.Core.Vectors;

namespace Neptune.Core.Tests.Search;

public sealed class ChunkAggregationTests
{
    private static readonly VectorHit[] Hits =
    [
        new(1, 10, 0.90f), new(3, 30, 0.88f), new(2, 20, 0.85f), new(1, 11, 0.80f), new(2, 21, 0.70f), new(2, 22, 0.60f),
    ];

    [Fact]
    public void A_note_scores_as_its_best_chunk()
    {
        var notes = ChunkAggregation.ByNote(Hits);

        Assert.Equal([1L, 3L, 2L], notes.Select(n => n.NoteId));
        Assert.Equal([0.90, 0.88, 0.85], notes.Select(n => Math.Round(n.Score, 6)));
        Assert.Equal([10L, 30L, 20L], notes.Select(n => n.ChunkId));
        Assert.Equal([2, 1, 3], notes.Select(n => n.Chunks));
    }

    [Fact]
    public void Each_other_matching_chunk_adds_the_bonus_up_to_the_cap()
    {
        // Note 2: 0.85 + 2 × 0.02 = 0.89 passes note 3 (0.88); note 1: 0.90 + 0.02.
        var notes = ChunkAggregation.ByNote(Hits, new ChunkScoring(ExtraChunkBonus: 0.02));
        var capped = ChunkAggregation.ByNote(Hits, new ChunkScoring(ExtraChunkBonus: 0.02, MaxExtraChunks: 1));

        Assert.Equal([1L, 2L, 3L], notes.Select(n => n.NoteId));
        Assert.Equal([0.92, 0.89, 0.88], notes.Select(n => Math.Round(n.Score, 6)));
        Assert.Equal(0.85f, notes[1].ChunkScore);
        Assert.Equal([1L, 3L, 2L], capped.Select(n => n.NoteId));
        Assert.Equal(0.87, Math.Round(capped[2].Score, 6));
    }

    [Fact]
    public void The_best_chunk_wins_whatever_order_the_hits_come_in()
    {
        var note = Assert.Single(ChunkAggregation.ByNote([new(5, 50, 0.3f), new(5, 51, 0.7f)]));

        Assert.Equal(51, note.ChunkId);
        Assert.Equal(0.7, note.Score, 6);
    }

    [Fact]
    public void Equal_scores_keep_the_order_of_the_hits()
    {
        Assert.Equal([9L, 4L], ChunkAggregation.ByNote([new(9, 90, 0.5f), new(4, 40, 0.5f)]).Select(n => n.NoteId));
    }

    [Fact]
    public void A_lead_chunk_bonus_lifts_notes_whose_first_chunk_matches()
    {
        // Lead chunks: 11 (note 1's second hit) and 20. Note 1: max(0.90, 0.80 + 0.06) = 0.90; note 2: 0.85 + 0.06 = 0.91; note 3: 0.88.
        var notes = ChunkAggregation.ByNote(Hits, new ChunkScoring(LeadChunkBonus: 0.06), chunk => chunk is 11 or 20);

        Assert.Equal([2L, 1L, 3L], notes.Select(n => n.NoteId));
        Assert.Equal([0.91, 0.90, 0.88], notes.Select(n => Math.Round(n.Score, 6)));
        Assert.Equal([20L, 10L, 30L], notes.Select(n => n.ChunkId));
        Assert.Equal(0.85f, notes[0].ChunkScore);  // the chunk's own cosine, bonus not included
    }

    [Fact]
    public void The_lead_bonus_can_make_the_first_chunk_the_best_one()
    {
        var note = Assert.Single(ChunkAggregation.ByNote([new(5, 50, 0.70f), new(5, 51, 0.72f)], new ChunkScoring(LeadChunkBonus: 0.03), chunk => chunk == 50));

        Assert.Equal(50, note.ChunkId);
        Assert.Equal(0.73, note.Score, 6);
        Assert.Equal(2, note.Chunks);
    }
}
