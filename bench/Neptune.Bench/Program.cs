using System.Globalization;
using Neptune.Bench;

// dotnet run --project bench/Neptune.Bench -c Release -- core [--smoke] [--sizes 100000,1000000] [--no-refresh (graph)]
const string Usage = """
    ./bench.sh [suite…] [--smoke] [--sizes N,N…] [--no-refresh] [--postgres-max N]
      suites: core (default), embedding, runs, index, indexers, search, topics, vectors, scale, fulltext, graph, replot
      --smoke       tiny sizes, report under bench/out/ (what ./test.sh runs)
      --sizes       note or vector counts for vectors, scale, fulltext and graph (e.g. 100000,1000000)
      --no-refresh  graph: skip the semantic-edge rebuild
      --postgres-max  fulltext: run PostgreSQL only at sizes up to N (its import and queries take hours at 1M)
    Reports: bench/results/<date>-<suite>.md; how to read them: bench/README.md
    """;
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(Usage);
    return 0;
}

if (args.FirstOrDefault(a => a.StartsWith('-') && a is not ("--smoke" or "--sizes" or "--no-refresh" or "--postgres-max")) is { } unknown)
{
    Console.Error.WriteLine($"bench: unknown option '{unknown}'\n{Usage}");
    return 2;
}

var sizesAt = Array.IndexOf(args, "--sizes");
var sizes = sizesAt >= 0 && sizesAt + 1 < args.Length
    ? args[sizesAt + 1].Split(',').Select(s => int.Parse(s.Replace("_", ""), CultureInfo.InvariantCulture)).ToList()
    : [];
var postgresMaxAt = Array.IndexOf(args, "--postgres-max");
var postgresMax = postgresMaxAt >= 0 && postgresMaxAt + 1 < args.Length ? int.Parse(args[postgresMaxAt + 1].Replace("_", ""), CultureInfo.InvariantCulture) : int.MaxValue;
var suites = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (sizesAt < 0 || i != sizesAt + 1) && (postgresMaxAt < 0 || i != postgresMaxAt + 1))
    .DefaultIfEmpty("core").ToList();
var smoke = args.Contains("--smoke");
foreach (var suite in suites)
{
    switch (suite)
    {
        case "core":
            await CoreSuite.RunAsync(smoke);
            break;
        case "embedding":
            await EmbeddingSuite.RunAsync(smoke);
            break;
        case "runs":
            await RunsSuite.RunAsync(smoke);
            break;
        case "index":
            await IndexSuite.RunAsync(smoke);
            break;
        case "indexers":
            await IndexersSuite.RunAsync(smoke);
            break;
        case "search":
            await SearchSuite.RunAsync(smoke);
            break;
        case "topics":
            await TopicsSuite.RunAsync(smoke);
            break;
        case "scale":
            await ScaleSuite.RunAsync(smoke, sizes);
            break;
        case "vectors":
            await VectorSuite.RunAsync(smoke, sizes);
            break;
        case "fulltext":
            await FullTextSuite.RunAsync(smoke, sizes, postgresMax);
            break;
        case "graph":
            await GraphSuite.RunAsync(smoke, sizes, refresh: !args.Contains("--no-refresh"));
            break;
        case "replot":
            await Replot.RunAsync();
            break;
        default:
            Console.Error.WriteLine($"bench: unknown suite '{suite}' (known: core, embedding, index, indexers, search, topics, vectors, scale, fulltext, graph, replot)");
            return 2;
    }
}

return 0;
