using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Neptune.Core.Chunking;
using Neptune.Core.Search;
using Neptune.Core.Topics;
using Neptune.Data;
using Neptune.Llm.Onnx;
using Neptune.Llm.Topics;

namespace Neptune.Bench;

/// <summary>
/// Topic extraction strategies against the full extraction (every candidate, up to 60 per note, embedded alone): how
/// many of its topics each keeps, and how many phrase runs it pays for them. The strategies are the shipped extractor's
/// own code paths, as the indexer calls them (lead chunk's vector at hand, rarity from the whole corpus's word counts).
/// </summary>
public static class TopicsSuite
{
    private const int Full = 60;

    public static async Task RunAsync(bool smoke)
    {
        var repo = BenchKit.FindRepo();
        var culture = CultureInfo.InvariantCulture;
        var count = smoke ? 6 : 200;
        var pages = File.ReadLines(Path.Combine(BenchKit.ManPagesDir(repo), "corpus.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Title: e.GetProperty("title").GetString()!, Text: e.GetProperty("text").GetString()!)).ToList();
        var words = new CorpusWords(pages);
        var random = new Random(11);
        List<(string Title, string Text)> sample = [.. pages.Select(p => (Page: p, Key: random.Next())).OrderBy(p => p.Key).Take(count).Select(p => p.Page)];

        using var generator = new MiniLmEmbeddingGenerator(new MiniLmOptions { Threads = 2 });
        var chunker = new Chunker(generator.CountTokens);
        var notes = new List<(TopicInput Note, IReadOnlyList<string> Chunks)>();
        foreach (var page in sample)
        {
            List<string> chunks = [.. chunker.Split(page.Title + "\n\n" + page.Text).Select(c => c.Text)];
            var lead = chunks.Count > 0 ? (await generator.GenerateAsync([chunks[0]]))[0].Vector.ToArray() : null;
            notes.Add((new TopicInput(page.Title, page.Text, lead, lead is null ? null : "onnx/" + generator.Model), chunks));
        }

        var strategies = new List<(string Name, Func<CountingGenerator, Task<IReadOnlyList<IReadOnlyList<ExtractedTopic>>>> Run)>
        {
            ($"all candidates alone (MaxCandidates={Full}): the reference", c => Alone(c, Full)),
            ("20 most distinctive alone (MaxCandidates=20; Shortlist=0, as before 2026-12-06)", c => Alone(c, 20)),
            ("10 most distinctive alone (MaxCandidates=10, Shortlist=0)", c => Alone(c, 10)),
        };
        foreach (var shortlist in new[] { 8, 10, 12, 20 })
        {
            strategies.Add(($"shortlist of {shortlist} by in-context vectors (Shortlist={shortlist}){(shortlist == new TopicOptions().Shortlist ? ", shipped" : "")}", c => Shortlisted(c, shortlist)));
        }

        var results = new List<(string Name, IReadOnlyList<IReadOnlyList<ExtractedTopic>> Topics, double Phrases, double Tokens)>();
        foreach (var (name, run) in strategies)
        {
            var counting = new CountingGenerator(generator);
            var topics = await run(counting);
            results.Add((name, topics, counting.Inputs.Count / (double)notes.Count, counting.Inputs.Sum(i => generator.CountTokens(i) + 2) / (double)notes.Count));
        }

        var reference = results[0].Topics;
        var table = new StringBuilder("| strategy | phrases embedded alone per note (tokens) | reference topics kept | single-word topics | memberships in topics of ≥ 3 notes |\n|---|---|---|---|---|\n");
        foreach (var (name, topics, phrases, tokens) in results)
        {
            var kept = topics.Zip(reference, (a, b) => b.Count == 0 ? 1 : a.Select(Key).Intersect(b.Select(Key)).Count() / (double)b.Count).Average();
            var all = topics.SelectMany(t => t.Select(Key)).ToList();
            var notesPerTopic = all.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
            table.AppendLine(culture, $"| {name} | {phrases:F1} ({tokens:F0}) | {kept:P1} | {all.Count(k => !k.Contains(' ', StringComparison.Ordinal)) / (double)all.Count:P1} | {all.Count(k => notesPerTopic[k] >= 3) / (double)all.Count:P1} |");
        }

        var examples = new StringBuilder("| page | reference | 20 most distinctive | shipped shortlist |\n|---|---|---|---|\n");
        var shipped = results.First(r => r.Name.EndsWith("shipped", StringComparison.Ordinal)).Topics;
        for (var i = 0; i < Math.Min(8, notes.Count); i++)
        {
            examples.AppendLine(culture, $"| {notes[i].Note.Title} | {Labels(reference[i])} | {Labels(results[1].Topics[i])} | {Labels(shipped[i])} |");
        }

        var report = BenchKit.Header("Topic extraction benchmark", smoke, repo, "`./bench.sh topics`", $"load average at start {Machine.LoadAverage()}")
            .AppendLine(culture, $"- Data: {count} man pages drawn at random (seed 11) from the corpus; chunks from Neptune's chunker; rarity from the word counts of all {pages.Count:N0} pages")
            .AppendLine().AppendLine("## Topics kept against the full extraction").AppendLine()
            .Append(table).AppendLine()
            .AppendLine(culture, $"The reference embeds each of a note's (up to {Full}) keyphrase candidates alone, then picks 5 by Maximal Marginal Relevance against the note's lead chunk; \"kept\" is the share of its topics (by key) a strategy picks too. Phrase runs are what topics cost on top of the chunks (no cache here, so every note pays for its own). A shortlist ranks all {Full} candidates by the model's states over their occurrences in the chunk runs the indexer makes anyway, and embeds only the closest to the lead chunk alone; in-context vectors alone make poorer topics (every phrase leans towards its note, generic ones too), so they only choose what to embed.")
            .AppendLine().AppendLine("## Examples").AppendLine()
            .Append(examples);
        await BenchKit.WriteReportAsync(repo, "topics", smoke, report.ToString());

        async Task<IReadOnlyList<IReadOnlyList<ExtractedTopic>>> Alone(CountingGenerator counting, int candidates)
        {
            var extractor = new KeyphraseTopicExtractor(counting, new TopicOptions { MaxCandidates = candidates, Shortlist = 0 }, words: words, phrases: new PhraseVectors(counting, 0));
            var topics = new List<IReadOnlyList<ExtractedTopic>>();
            foreach (var slice in notes.Chunk(16))
            {
                topics.AddRange(await extractor.ExtractAsync([.. slice.Select(n => n.Note)]));
            }

            return topics;
        }

        async Task<IReadOnlyList<IReadOnlyList<ExtractedTopic>>> Shortlisted(CountingGenerator counting, int shortlist)
        {
            var extractor = new KeyphraseTopicExtractor(counting, new TopicOptions { Shortlist = shortlist }, words: words, phrases: new PhraseVectors(counting, 0));
            var topics = new List<IReadOnlyList<ExtractedTopic>>();
            foreach (var slice in notes.Chunk(16))
            {
                // The chunks' runs are the indexer's anyway: they go to the model itself, not counted as topic cost.
                topics.AddRange((await extractor.EmbedAndExtractAsync(extractor.PoolsWith(generator)!, [.. slice.Select(n => (n.Note with { LeadVector = null, LeadModel = null }, n.Chunks))], default)).Topics);
            }

            return topics;
        }
    }

    private static string Key(ExtractedTopic topic) => TopicLabel.Key(topic.Label);

    private static string Labels(IReadOnlyList<ExtractedTopic> topics) => string.Join(", ", topics.Select(t => t.Label.Replace("|", "\\|", StringComparison.Ordinal)));

    /// <summary>Document counts of index tokens over the whole corpus, as the full-text index would give them.</summary>
    private sealed class CorpusWords(List<(string Title, string Text)> pages) : IWordCounts
    {
        private readonly Lazy<Dictionary<string, long>> _documents = new(() =>
        {
            var documents = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (title, text) in pages)
            {
                foreach (var token in IndexToken.All(title + " " + text).Distinct())
                {
                    documents[token] = documents.GetValueOrDefault(token) + 1;
                }
            }

            return documents;
        });

        public Task<WordCounts> CountAsync(IReadOnlyCollection<string> tokens, CancellationToken ct) =>
            Task.FromResult(new WordCounts(pages.Count, tokens.ToDictionary(t => t, t => _documents.Value.GetValueOrDefault(t), StringComparer.Ordinal)));
    }

    /// <summary>Passes calls to the model through and remembers every input: the phrases a strategy embeds alone.</summary>
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
}
