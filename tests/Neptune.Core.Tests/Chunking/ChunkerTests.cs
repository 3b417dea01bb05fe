using Neptune.Core.Chunking;

namespace Neptune.Core.Tests.Chunking;

public sealed class ChunkerTests
{
    // One token per whitespace-separated word keeps the expectations readable.
    private static int Words(string s) => s.Split((char[])[' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries).Length;

    private static string Paragraph(string word, int words) => string.Join(' ', Enumerable.Repeat(word, words)) + ".";

    [Fact]
    public void A_short_note_is_one_chunk_spanning_the_text()
    {
        var chunks = new Chunker(Words, maxTokens: 50).Split("# Title\n\nSome text.");

        Assert.Equal([new Chunk(0, "# Title\n\nSome text.", 0, 19)], chunks);
    }

    [Fact]
    public void Every_part_of_a_long_note_is_covered_and_no_chunk_is_too_long()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 40).Select(i => Paragraph($"w{i}", 30)));

        var chunks = new Chunker(Words, maxTokens: 100, overlapTokens: 20).Split(text);

        Assert.All(chunks, c => Assert.True(Words(c.Text) <= 100, c.Text));
        for (var i = 0; i < 40; i++)
        {
            Assert.Contains(chunks, c => c.Text.Contains($"w{i} ", StringComparison.Ordinal));
        }

        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
        Assert.All(chunks, c => Assert.Equal(text[c.Start..c.End], c.Text));
    }

    [Fact]
    public void Consecutive_chunks_of_a_section_overlap()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 6).Select(i => Paragraph($"p{i}", 15)));

        var chunks = new Chunker(Words, maxTokens: 40, overlapTokens: 20).Split(text);

        Assert.True(chunks.Count >= 3);
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].Start < chunks[i - 1].End, $"chunk {i} does not overlap the one before");
        }
    }

    [Fact]
    public void Headings_start_new_chunks()
    {
        var chunks = new Chunker(Words, maxTokens: 100).Split("# One\nalpha beta\n# Two\ngamma delta");

        Assert.Equal(["# One\nalpha beta\n", "# Two\ngamma delta"], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Code_blocks_are_cut_only_between_lines()
    {
        var code = "```\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"let v{i} = compute ( {i} ) ;")) + "\n```\n";

        var chunks = new Chunker(Words, maxTokens: 40, overlapTokens: 0).Split(code);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.True(c.End == code.Length || code[c.End - 1] == '\n', c.Text));
    }

    [Fact]
    public void A_single_overlong_sentence_is_cut_by_words()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 500));

        var chunks = new Chunker(Words, maxTokens: 64, overlapTokens: 0).Split(text);

        Assert.All(chunks, c => Assert.True(Words(c.Text) <= 64));
        Assert.Equal(500, chunks.Sum(c => Words(c.Text)));
    }

    [Fact]
    public void An_empty_note_has_no_chunks()
    {
        Assert.Empty(new Chunker(Words).Split(""));
        Assert.Empty(new Chunker(Words).Split("\n\n  \n"));
    }
}
