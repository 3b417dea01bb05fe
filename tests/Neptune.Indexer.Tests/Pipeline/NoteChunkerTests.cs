using Neptune.Indexer.Pipeline;

namespace Neptune.Indexer.Tests.Pipeline;

public sealed class NoteChunkerTests
{
    private static readonly NoteChunker Chunker = new(t => t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);

    [Fact]
    public void The_title_opens_the_first_chunk_and_spans_point_into_the_content()
    {
        const string content = "SYNOPSIS\n  cut OPTION FILE\n\nDESCRIPTION\n  Print selected parts of lines.";

        var chunks = Chunker.Split("cut", content);

        var first = Assert.Single(chunks);
        Assert.StartsWith("cut\n\nSYNOPSIS", first.Text, StringComparison.Ordinal);
        Assert.Equal((0, content.Length), (first.Start, first.End));
        Assert.Equal(first.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length, first.Tokens);
    }

    [Fact]
    public void A_note_that_opens_with_its_title_as_h1_is_not_given_it_twice()
    {
        const string content = "---\ntags: [x]\n---\n\n# Release plan\n\nShip on Friday.";

        var chunks = Chunker.Split("Release plan", content);

        Assert.Equal(["---\ntags: [x]\n---\n", "# Release plan\n\nShip on Friday."], chunks.Select(c => c.Text));
        Assert.All(chunks, c => Assert.Equal(content[c.Start..c.End], c.Text));
        Assert.True(NoteChunker.OpensWithTitle("release PLAN", "# Release plan\nbody"));
        Assert.False(NoteChunker.OpensWithTitle("Release plan", "Intro first.\n# Release plan"));
    }

    [Fact]
    public void Long_notes_split_within_the_budget_with_spans_in_order()
    {
        var content = string.Join("\n\n", Enumerable.Range(0, 40).Select(i => string.Join(' ', Enumerable.Repeat($"word{i}", 30))));

        var chunks = Chunker.Split("Long", content);

        Assert.True(chunks.Count > 4);
        Assert.All(chunks, c => Assert.InRange(c.Tokens, 1, NoteChunker.MaxTokens));
        Assert.Equal(chunks.OrderBy(c => c.Start), chunks);
        Assert.Equal(content.Length, chunks[^1].End);
    }
}
