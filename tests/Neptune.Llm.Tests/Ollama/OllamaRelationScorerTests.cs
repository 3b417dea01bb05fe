using System.Text.Json;
using Neptune.Llm.Ollama;
using Neptune.Llm.Relations;

namespace Neptune.Llm.Tests.Ollama;

public sealed class OllamaRelationScorerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TopicPair[] Pairs(int count) => [.. Enumerable.Range(1, count).Select(i => new TopicPair($"topic {i}", $"other {i}"))];

    [Fact]
    public async Task Every_pair_gets_a_score_from_the_model_in_order()
    {
        await using var ollama = await OllamaHarness.TargetAsync();
        var fallback = new FakeRelationScorer();
        TopicPair[] pairs = [new("docker", "containers"), new("gardening", "tcp"), new("ssh", "networking")];

        var relations = await ollama.Relations(fallback).ScoreAsync(pairs, Token);

        Assert.Equal(0, fallback.Pairs);
        Assert.Equal(pairs, relations.Select(r => new TopicPair(r.A, r.B)));
        Assert.All(relations, r => Assert.InRange(r.Strength, 0, 1));
        Assert.All(relations, r => Assert.Equal("llm:" + ollama.Options.ChatModel, r.Source));
    }

    [Fact]
    public async Task Pairs_are_sent_in_batches_of_RelationBatchSize_with_a_schema_of_that_many_scores()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("RelationBatchSize", "25"));
        ollama.Emulator.EnqueueReplies(
            JsonSerializer.Serialize(new { scores = Enumerable.Repeat(0.9, 25) }),
            """{"scores":[0.1,0.2,0.3,0.4,0.5]}""");

        var relations = await ollama.Relations(new FakeRelationScorer()).ScoreAsync(Pairs(30), Token);

        var requests = ollama.RequestsTo("/api/chat");
        Assert.Equal([25, 5], requests.Select(r => (int)r.Body!["format"]!["properties"]!["scores"]!["minItems"]!));
        Assert.Contains("25. topic 25 | other 25", (string?)requests[0].Body!["messages"]![1]!["content"], StringComparison.Ordinal);
        Assert.Equal(30, relations.Count);
        Assert.Equal([0.9, 0.1, 0.5], [relations[0].Strength, relations[25].Strength, relations[29].Strength]);
        Assert.Equal("topic 30", relations[29].A);
    }

    [Fact]
    public async Task Out_of_range_scores_are_retried_and_a_good_second_answer_is_used()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.EnqueueReplies("""{"scores":[1.5,0.2]}""", """{"scores":[1,0.2]}""");
        var fallback = new FakeRelationScorer();

        var relations = await ollama.Relations(fallback).ScoreAsync(Pairs(2), Token);

        Assert.Equal([1.0, 0.2], relations.Select(r => r.Strength));
        Assert.Equal(0, fallback.Pairs);
        var retry = (string?)ollama.RequestsTo("/api/chat")[1].Body!["messages"]![3]!["content"];
        Assert.Contains("outside 0 to 1", retry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_range_scores_twice_leave_the_batch_to_the_fallback_scorer()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.EnqueueReplies("""{"scores":[1.5,0.2]}""", """{"scores":[-0.1,0.2]}""");
        var fallback = new FakeRelationScorer();

        var relations = await ollama.Relations(fallback).ScoreAsync(Pairs(2), Token);

        Assert.Equal(2, fallback.Pairs);
        Assert.All(relations, r => Assert.Equal("embedding:fake", r.Source));
    }

    [Fact]
    public async Task Only_the_failed_batch_goes_to_the_fallback_scorer()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("RelationBatchSize", "2"), ("MaxRetries", "0"));
        ollama.Emulator.FailNext("/api/chat", 1, status: 500);
        var fallback = new FakeRelationScorer();

        var relations = await ollama.Relations(fallback).ScoreAsync(Pairs(4), Token);

        Assert.Equal(2, fallback.Pairs);
        Assert.Equal(["embedding:fake", "embedding:fake", "llm:llama3.2", "llm:llama3.2"], relations.Select(r => r.Source));
    }

    [Theory]
    [InlineData("""{"scores":[0.5]}""", "1 scores for 2 pairs")]
    [InlineData("""{"scores":[0.5,"high"]}""", "score 2 is not a number")]
    [InlineData("""{"scores":[0.5,2]}""", "outside 0 to 1")]
    [InlineData("""[0.5,0.5]""", "no \"scores\"")]
    public void Answers_with_the_wrong_count_or_range_are_rejected(string answer, string reason)
    {
        var (scores, problem) = OllamaRelationScorer.Check(JsonElement.Parse(answer), 2);

        Assert.Null(scores);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }
}
