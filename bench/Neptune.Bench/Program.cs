using Neptune.Bench;

// dotnet run --project bench/Neptune.Bench -c Release -- core [--smoke]
var suites = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).DefaultIfEmpty("core").ToList();
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
        case "index":
            await IndexSuite.RunAsync(smoke);
            break;
        case "indexers":
            await IndexersSuite.RunAsync(smoke);
            break;
        case "search":
            await SearchSuite.RunAsync(smoke);
            break;
        case "scale":
            await ScaleSuite.RunAsync(smoke);
            break;
        case "vectors":
            await VectorSuite.RunAsync(smoke);
            break;
        default:
            Console.Error.WriteLine($"bench: unknown suite '{suite}' (known: core, embedding, index, indexers, search, vectors, scale)");
            return 2;
    }
}

return 0;
