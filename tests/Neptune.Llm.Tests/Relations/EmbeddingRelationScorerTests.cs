using Microsoft.Extensions.AI;
using Neptune.Llm.Relations;

namespace Neptune.Llm.Tests.Relations;

public sealed class EmbeddingRelationScorerTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    /// <summary>Passes calls through and remembers every input it was asked to embed.</summary>
    private sealed class CountingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Inputs { get; } = [];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Inputs.AddRange(list);
            return inner.GenerateAsync(list, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }

    private readonly EmbeddingRelationScorer _scorer = new(fixture.Generator);

    [Fact]
    public async Task Related_labels_score_above_unrelated_ones()
    {
        var relations = await _scorer.ScoreAsync(
            [new("networking", "tcp sockets"), new("networking", "tax law"), new("file systems", "disk partitions"), new("file systems", "baking bread")],
            TestContext.Current.CancellationToken);

        Assert.True(relations[0].Strength > relations[1].Strength + 0.1, string.Join(", ", relations));
        Assert.True(relations[2].Strength > relations[3].Strength + 0.1, string.Join(", ", relations));
    }

    [Fact]
    public async Task Every_strength_is_between_0_and_1_and_results_follow_the_input_order()
    {
        TopicPair[] pairs = [new("SSH", "ssh"), new("Shell scripts", "shell script"), new("kubernetes", "medieval poetry"), new("", "empty"), new("up", "down")];

        var relations = await _scorer.ScoreAsync(pairs, TestContext.Current.CancellationToken);

        Assert.Equal(pairs.Select(p => (p.A, p.B)), relations.Select(r => (r.A, r.B)));
        Assert.All(relations, r => Assert.InRange(r.Strength, 0, 1));
        Assert.All(relations, r => Assert.Equal("embedding:all-MiniLM-L6-v2-int8", r.Source));
        Assert.Equal(1, relations[0].Strength);
        Assert.Equal(1, relations[1].Strength);
        Assert.Equal(0, relations[3].Strength);
    }

    [Fact]
    public async Task Scores_are_deterministic_and_each_label_is_embedded_once()
    {
        var generator = new CountingGenerator(fixture.Generator);
        var scorer = new EmbeddingRelationScorer(generator);

        var first = await scorer.ScoreAsync([new("networking", "routing"), new("Routing", "firewalls")], TestContext.Current.CancellationToken);
        var second = await scorer.ScoreAsync([new("networking", "routing"), new("firewall", "networking")], TestContext.Current.CancellationToken);

        Assert.Equal(first[0], second[0]);
        Assert.Equal(["firewall", "networking", "routing"], generator.Inputs);
        Assert.Empty(await scorer.ScoreAsync([], TestContext.Current.CancellationToken));
    }
}
