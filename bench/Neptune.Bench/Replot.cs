using System.Globalization;
using System.Text.RegularExpressions;

namespace Neptune.Bench;

/// <summary>
/// `./bench.sh replot`: draws the plots of scale and index reports written before those suites drew any, from the
/// figures in the reports' own tables, and links them under the tables (marked as drawn afterwards); a scale or
/// index report that already links its plot is left alone. Full-text plots are drawn again in place (their scale
/// changed). Runs nothing: the figures are the report's.
/// </summary>
public static partial class Replot
{
    public static async Task RunAsync()
    {
        var repo = BenchKit.FindRepo();
        var results = Path.Combine(repo, "bench", "results");
        foreach (var file in Directory.EnumerateFiles(results, "*.md").Order())
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var date = name[..10];
            var text = await File.ReadAllTextAsync(file);
            string? link = null;
            if (name.EndsWith("-scale", StringComparison.Ordinal) && !text.Contains("-scale-p95.png", StringComparison.Ordinal))
            {
                link = ScaleSuite.PlotP95(repo, smoke: false, ScaleFigures(text), date);
            }
            else if (name.EndsWith("-fulltext", StringComparison.Ordinal))
            {
                // Drawn again in place (log scale since the first reports): the link is there already.
                FullTextSuite.PlotP95(repo, smoke: false, FullTextFigures(text), date);
                Console.WriteLine($"bench: plotted {file}");
                continue;
            }
            else if (name.EndsWith("-index", StringComparison.Ordinal) && !text.Contains("-index-throughput.png", StringComparison.Ordinal))
            {
                var (rates, bare) = IndexFigures(text);
                link = IndexSuite.PlotThroughput(repo, "index", smoke: false, rates, bare, date);
            }

            if (link is null)
            {
                continue;
            }

            // Under the last table of the report's first results section: before the load-average line when there is one.
            var at = text.LastIndexOf("\nLoad average", StringComparison.Ordinal);
            var insert = $"\n{link}\n\n(Plot drawn afterwards by `./bench.sh replot` from this report's tables.)\n";
            text = at >= 0 ? text.Insert(at, insert) : text.TrimEnd() + "\n" + insert;
            await File.WriteAllTextAsync(file, text);
            Console.WriteLine($"bench: plotted {file}");
        }
    }

    /// <summary>In-process p95 per mode and the served hybrid p95 (idle, busy) per size, from the scale report's two tables.</summary>
    private static Dictionary<string, List<(int Notes, double Ms)>> ScaleFigures(string text)
    {
        var p95 = new Dictionary<string, List<(int Notes, double Ms)>>();
        void Point(string series, string notes, string ms)
        {
            p95.TryAdd(series, []);
            p95[series].Add((int.Parse(notes, NumberStyles.AllowThousands, CultureInfo.InvariantCulture), double.Parse(ms, CultureInfo.InvariantCulture)));
        }

        foreach (Match m in InProcessRow().Matches(text))
        {
            Point($"{m.Groups[2].Value}, in-process", m.Groups[1].Value, m.Groups[3].Value);
        }

        foreach (Match m in ServedRow().Matches(text))
        {
            Point(m.Groups[2].Value.StartsWith("GET", StringComparison.Ordinal) ? "hybrid over HTTP, idle indexer" : "hybrid over HTTP, indexer busy", m.Groups[1].Value, m.Groups[3].Value);
        }

        return p95.Count > 0 ? p95 : throw new InvalidDataException("replot: no latency rows in the scale report");
    }

    private static Dictionary<string, List<(int Notes, int Words, double P95)>> FullTextFigures(string text)
    {
        var p95 = new Dictionary<string, List<(int Notes, int Words, double P95)>>();
        foreach (Match m in FullTextRow().Matches(text))
        {
            p95.TryAdd(m.Groups[3].Value, []);
            p95[m.Groups[3].Value].Add((int.Parse(m.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)));
        }

        return p95.Count > 0 ? p95 : throw new InvalidDataException("replot: no query rows in the fulltext report");
    }

    private static (List<(string Name, double TokensPerSecond)> Rates, double Bare) IndexFigures(string text)
    {
        var bare = BareRate().Match(text);
        var rates = ThroughputRow().Matches(text).Select(m => (m.Groups[1].Value.Trim(), double.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))).ToList();
        return bare.Success && rates.Count > 0
            ? (rates, double.Parse(bare.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
            : throw new InvalidDataException("replot: no throughput rows in the index report");
    }

    // | 100,000 | 1 | SQLite FTS5 | 15.92 | 74.81 | 1.00× | 1.00× | 10.0 |
    [GeneratedRegex(@"^\| ([\d,]+) \| ([123]) \| ([^|]+?) \| [\d.]+ \| ([\d.]+) \|", RegexOptions.Multiline)]
    private static partial Regex FullTextRow();

    // | 100,000 | 199,901 | hybrid | 72.7 / 180.9 | 47.6 / 114.5 | p95 ≤ 50 ms |
    [GeneratedRegex(@"^\| ([\d,]+) \| [\d,]+ \| (fts|semantic|hybrid) \| [\d.]+ / ([\d.]+) \|", RegexOptions.Multiline)]
    private static partial Regex InProcessRow();

    // | 100,000 | GET /api/search?mode=hybrid, p50 / p95 (300 queries, idle indexer) | 88.6 / 261.8 ms | p95 ≤ 50 ms |
    [GeneratedRegex(@"^\| ([\d,]+) \| (GET /api/search\?mode=hybrid[^|]*|the same while the indexer re-embeds[^|]*) \| [\d.]+ / ([\d.]+) ms \|", RegexOptions.Multiline)]
    private static partial Regex ServedRow();

    // | defaults | 200/200 indexed, 0 failed | 790 (160,097) | 26.6 s | 7.5 | 6,012 | 66 % (target ≥ 85 %) | …
    [GeneratedRegex(@"^\| ([^|]+) \| \d+/\d+ indexed[^|]* \| [^|]+ \| [\d.]+ s \| [\d.]+ \| ([\d,]+) \|", RegexOptions.Multiline)]
    private static partial Regex ThroughputRow();

    [GeneratedRegex(@"embedded alone \([^)]*\): [\d.]+ s, ([\d,]+) tokens/s")]
    private static partial Regex BareRate();
}
