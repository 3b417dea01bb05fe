using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Core.Topics;
using Neptune.Llm.Topics;

namespace Neptune.Llm.Tests.Topics;

public sealed class KeyphraseTopicExtractorTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private readonly KeyphraseTopicExtractor _extractor = new(fixture.Generator, new TopicOptions());

    private static readonly IReadOnlyDictionary<string, (string Title, string Text)> Pages = SharedDatasets.ManPages("cut.1", "sftp.1", "veth.4");

    private async Task<IReadOnlyList<ExtractedTopic>> ExtractAsync(string page) =>
        await _extractor.ExtractAsync(new TopicInput(Pages[page].Title, Pages[page].Text), TestContext.Current.CancellationToken);

    private static void AssertWellFormed(IReadOnlyList<ExtractedTopic> topics)
    {
        Assert.InRange(topics.Count, 1, new TopicOptions().MaxTopics);
        Assert.All(topics, t =>
        {
            Assert.Equal(TopicLabel.Normalize(t.Label), t.Label);
            Assert.InRange(t.Weight, double.Epsilon, 1);
        });
        Assert.Equal(topics.Count, topics.Select(t => TopicLabel.Key(t.Label)).Distinct().Count());
        Assert.Equal(topics.OrderByDescending(t => t.Weight), topics);
    }

    private static bool Mentions(IReadOnlyList<ExtractedTopic> topics, params string[] words) =>
        topics.Any(t => words.Any(w => t.Label.Contains(w, StringComparison.OrdinalIgnoreCase)));

    [Fact]
    public async Task Topics_of_cut_name_its_fields_delimiters_and_bytes()
    {
        var topics = await ExtractAsync("cut.1");

        AssertWellFormed(topics);
        Assert.True(Mentions(topics, "delimiter"), string.Join(", ", topics));
        Assert.True(Mentions(topics, "bytes", "field", "character", "lines", "cut"), string.Join(", ", topics));
    }

    [Fact]
    public async Task Topics_of_sftp_name_file_transfer_and_its_remote_side()
    {
        var topics = await ExtractAsync("sftp.1");

        AssertWellFormed(topics);
        Assert.True(Mentions(topics, "sftp"), string.Join(", ", topics));
        Assert.True(Mentions(topics, "transfer", "remote", "ssh", "authentication"), string.Join(", ", topics));
    }

    [Fact]
    public async Task Topics_are_distinct_rather_than_variants_of_one_phrase()
    {
        var topics = await ExtractAsync("veth.4");

        AssertWellFormed(topics);
        Assert.True(Mentions(topics, "veth", "ethernet"), string.Join(", ", topics));
        Assert.All(topics, a => Assert.DoesNotContain(topics, b => a != b && Keyphrases.Contains(TopicLabel.Key(a.Label), TopicLabel.Key(b.Label))));
    }

    [Fact]
    public async Task Extraction_is_deterministic_across_calls()
    {
        var first = await ExtractAsync("cut.1");
        var second = await ExtractAsync("cut.1");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Code_in_a_markdown_note_never_becomes_a_topic()
    {
        const string Note = """
            Kubernetes deployments roll out new versions of an application gradually. A deployment keeps the desired
            number of replicas running and replaces pods one batch at a time, so the service stays available.

            ```yaml
            apiVersion: apps/v1
            kind: Deployment
            spec:
              strategy:
                type: RollingUpdate
            ```

            Run `kubectl rollout status` to follow a rollout, and roll back when health checks fail.
            """;

        var topics = await _extractor.ExtractAsync(new TopicInput("Rolling updates", Note), TestContext.Current.CancellationToken);

        AssertWellFormed(topics);
        Assert.False(Mentions(topics, "apiVersion", "RollingUpdate", "kubectl", "strategy"), string.Join(", ", topics));
        Assert.True(Mentions(topics, "deployment", "rolling", "rollout", "kubernetes"), string.Join(", ", topics));
    }

    [Fact]
    public async Task A_note_without_words_has_no_topics()
    {
        var topics = await _extractor.ExtractAsync(new TopicInput("", "```\ncode only\n```\n\n42 -- 17"), TestContext.Current.CancellationToken);

        Assert.Empty(topics);
    }

    [Fact]
    public async Task Options_bound_the_number_of_topics_and_the_name_states_the_model()
    {
        var extractor = new KeyphraseTopicExtractor(fixture.Generator, new TopicOptions { MaxTopics = 2, MaxCandidates = 10 });

        var topics = await extractor.ExtractAsync(new TopicInput(Pages["sftp.1"].Title, Pages["sftp.1"].Text), TestContext.Current.CancellationToken);

        Assert.Equal(2, topics.Count);
        Assert.Equal("keyphrase:all-MiniLM-L6-v2", extractor.Name);
    }

    [Fact]
    public async Task Each_extraction_is_recorded_when_metrics_are_given()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new LlmMetrics(services.GetRequiredService<IMeterFactory>());
        var recorded = new List<(double Seconds, string? Extractor)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LlmMetrics.MeterName && instrument.Name == "neptune.llm.topics.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "extractor")
                {
                    recorded.Add((value, tag.Value as string));
                }
            }
        });
        listener.Start();
        var extractor = new KeyphraseTopicExtractor(fixture.Generator, new TopicOptions(), metrics);

        await extractor.ExtractAsync(new TopicInput("Packet routing", "Routers forward packets between networks."), TestContext.Current.CancellationToken);

        var (seconds, name) = Assert.Single(recorded);
        Assert.Equal(extractor.Name, name);
        Assert.True(seconds > 0);
    }
}
