namespace Neptune.Indexer.Tests.Pipeline;

/// <summary>How a batch's notes are cut into llm requests: whole notes per request, within the llm's limits.</summary>
public sealed class LlmRequestTests
{
    [Fact]
    public async Task Notes_are_sent_whole_within_the_chunk_limit_and_a_larger_note_is_embedded_in_slices()
    {
        var llm = new FakeLlm();
        await using var harness = await IndexerHarness.CreateAsync(llm, new() { ["Neptune:Llm:MaxInputsPerRequest"] = "4" });
        // 254 words per chunk with 32 overlapping: 1,000 words are 5 chunks, more than one request holds.
        var large = await harness.CreateNoteAsync("Large", string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"word{i % 97}")));
        var small = new[]
        {
            await harness.CreateNoteAsync("Ports", "A firewall filters traffic by port and protocol."),
            await harness.CreateNoteAsync("Routes", "Routers forward packets between networks."),
        };

        await harness.DrainAsync();

        var tables = await IndexTables.ReadAsync(harness);
        Assert.Equal(3, tables.NoteIndex.Count(r => r.Contains("|indexed|", StringComparison.Ordinal)));
        Assert.Equal(5, tables.Chunks.Count(c => IndexTables.First(c) == large));
        Assert.Equal(tables.Chunks.Count, tables.Embeddings.Count);
        // The small notes share one request; the large one's chunks went in slices of 4, then its topics on their own.
        Assert.Equal(["Ports", "Routes"], llm.NoteInputs.Select(n => n.Title).Order());
        Assert.DoesNotContain(llm.NoteInputs, n => n.Title == "Large");
        Assert.Contains(llm.TopicInputs, t => t.Title == "Large" && t.LeadVector is not null);
        Assert.All(small, n => Assert.Contains(tables.NoteIndex, r => IndexTables.First(r) == n));
    }

    [Fact]
    public async Task An_answer_whose_vectors_do_not_match_the_chunks_fails_the_note_instead_of_storing_it()
    {
        var llm = new FakeLlm { DropsAVector = true };
        await using var harness = await IndexerHarness.CreateAsync(llm);
        var note = await harness.CreateNoteAsync("Ports", "A firewall filters traffic by port and protocol.");

        await harness.DrainAsync();

        var tables = await IndexTables.ReadAsync(harness);
        Assert.DoesNotContain(tables.Chunks, c => IndexTables.First(c) == note);
        Assert.Contains(await harness.RowsAsync("SELECT last_error FROM jobs"), r => r.Contains("do not match its chunks", StringComparison.Ordinal));
    }
}
