using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Core.Chunking;
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
        Assert.Equal("keyphrase:all-MiniLM-L6-v2-int8", extractor.Name);
    }

    [Fact]
    public async Task A_batch_gets_the_topics_each_note_gets_alone_and_embeds_each_phrase_once()
    {
        // On the float model, whose vectors do not depend on their companions in a run (the int8 one's move a little).
        var counting = new CountingGenerator(fixture.Original);
        var extractor = new KeyphraseTopicExtractor(counting, new TopicOptions());
        var single = new KeyphraseTopicExtractor(fixture.Original, new TopicOptions());
        TopicInput[] notes = [.. Pages.Values.Select(p => new TopicInput(p.Title, p.Text))];

        var together = await extractor.ExtractAsync(notes, TestContext.Current.CancellationToken);

        Assert.Equal(2, counting.Calls);  // the notes' leading texts, then every phrase of all three
        Assert.Equal(counting.Inputs.Count, counting.Inputs.Distinct(StringComparer.Ordinal).Count());
        for (var i = 0; i < notes.Length; i++)
        {
            Assert.Equal(await single.ExtractAsync(notes[i], TestContext.Current.CancellationToken), together[i]);
        }
    }

    [Fact]
    public async Task A_lead_vector_from_the_same_model_is_used_instead_of_embedding_the_note_again()
    {
        var page = Pages["cut.1"];
        var lead = (await fixture.Generator.GenerateAsync([page.Title + "\n\n" + page.Text], cancellationToken: TestContext.Current.CancellationToken))[0].Vector.ToArray();
        var counting = new CountingGenerator(fixture.Generator);
        var extractor = new KeyphraseTopicExtractor(counting, new TopicOptions());

        var topics = await extractor.ExtractAsync(new TopicInput(page.Title, page.Text, lead, "onnx/all-MiniLM-L6-v2-int8"), TestContext.Current.CancellationToken);
        var phrasesOnly = counting.Calls;
        await extractor.ExtractAsync(new TopicInput("Other", "Routers forward packets between networks.", lead, "ollama/nomic-embed-text"), TestContext.Current.CancellationToken);

        AssertWellFormed(topics);
        Assert.True(Mentions(topics, "delimiter"), string.Join(", ", topics));
        Assert.Equal(1, phrasesOnly);
        Assert.Equal(3, counting.Calls);  // another model's vector is no use: that note's text is embedded
    }

    [Fact]
    public async Task In_one_pass_the_chunks_are_embedded_and_their_runs_shortlist_the_candidates_embedded_alone()
    {
        var page = Pages["cut.1"];
        List<string> chunks = [.. new Chunker(fixture.Generator.CountTokens).Split(page.Title + "\n\n" + page.Text).Select(c => c.Text)];
        var counting = new CountingGenerator(fixture.Generator);
        var extractor = new KeyphraseTopicExtractor(counting, new TopicOptions());

        var pass = await extractor.EmbedAndExtractAsync(extractor.PoolsWith(fixture.Generator)!, [(new TopicInput(page.Title, page.Text), chunks)], TestContext.Current.CancellationToken);

        var alone = await fixture.Generator.GenerateAsync(chunks, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(alone.Select(e => e.Vector.ToArray()), pass.Vectors[0]);
        AssertWellFormed(pass.Topics[0]);
        Assert.True(Mentions(pass.Topics[0], "delimiter"), string.Join(", ", pass.Topics[0]));
        // One call: the shortlist, never the note (its lead chunk's vector is at hand), every topic from the shortlist.
        Assert.Equal(1, counting.Calls);
        Assert.Equal(new TopicOptions().Shortlist, counting.Inputs.Count);
        Assert.All(pass.Topics[0], t => Assert.Contains(counting.Inputs, i => TopicLabel.Key(i) == TopicLabel.Key(t.Label)));
    }

    [Fact]
    public void Only_the_extractors_own_model_can_shortlist_and_only_when_asked_to()
    {
        var extractor = new KeyphraseTopicExtractor(fixture.Generator, new TopicOptions());

        Assert.Same(fixture.Generator, extractor.PoolsWith(fixture.Generator));
        Assert.Null(extractor.PoolsWith(new CountingGenerator(fixture.Generator)));  // not a model that can pool phrases
        Assert.Null(new KeyphraseTopicExtractor(fixture.Generator, new TopicOptions { Shortlist = 0 }).PoolsWith(fixture.Generator));
    }

    [Fact]
    public async Task Phrases_seen_before_cost_no_model_run()
    {
        var counting = new CountingGenerator(fixture.Generator);
        var extractor = new KeyphraseTopicExtractor(counting, new TopicOptions());
        var note = new TopicInput(Pages["sftp.1"].Title, Pages["sftp.1"].Text);

        var first = await extractor.ExtractAsync(note, TestContext.Current.CancellationToken);
        var inputs = counting.Inputs.Count;
        var second = await extractor.ExtractAsync(note, TestContext.Current.CancellationToken);

        Assert.Equal(first, second);
        Assert.Equal(inputs + 1, counting.Inputs.Count);  // only the note's leading text again
    }

    [Fact]
    public async Task Rarity_among_notes_decides_which_candidates_are_embedded()
    {
        var note = new TopicInput(Pages["cut.1"].Title, Pages["cut.1"].Text);
        var anywhere = new CountingGenerator(fixture.Generator);
        var everywhere = new CountingGenerator(fixture.Generator);

        await new KeyphraseTopicExtractor(anywhere, new TopicOptions()).ExtractAsync(note, TestContext.Current.CancellationToken);
        await new KeyphraseTopicExtractor(everywhere, new TopicOptions(), words: new EverywhereWords("delimiter"))
            .ExtractAsync(note, TestContext.Current.CancellationToken);

        Assert.Contains("delimiter", anywhere.Inputs);
        Assert.DoesNotContain("delimiter", everywhere.Inputs);
    }

    /// <summary>Word counts of a corpus where the given words are in every note and all others in one.</summary>
    private sealed class EverywhereWords(params string[] common) : Data.IWordCounts
    {
        public Task<Data.WordCounts> CountAsync(IReadOnlyCollection<string> tokens, CancellationToken ct) =>
            Task.FromResult(new Data.WordCounts(1000, tokens.ToDictionary(t => t, t => common.Contains(t) ? 1000L : 1L)));
    }

    /// <summary>Passes calls through and remembers every input and call.</summary>
    private sealed class CountingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Inputs { get; } = [];

        public int Calls { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Inputs.AddRange(list);
            Calls++;
            return inner.GenerateAsync(list, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
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
