#:project ../src/Neptune.Llm/Neptune.Llm.csproj
// Embeds each query of a queries JSONL alone, as search embeds a query, with the embedded model (int8 MiniLM), and
// writes "id<TAB>[v1,…]" lines that psql's \copy reads into a vector column (bench/pgvector-hnsw-queries.sql).
//   dotnet run bench/embed-queries.cs -- ../shared/datasets/manpages/queries-dev.jsonl /tmp/queries.tsv
using System.Globalization;
using System.Text.Json;
using Neptune.Llm.Onnx;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run bench/embed-queries.cs -- QUERIES.jsonl OUT.tsv");
    return 2;
}

using var generator = new MiniLmEmbeddingGenerator(new MiniLmOptions());
using var output = new StreamWriter(args[1]);
var count = 0;
foreach (var line in File.ReadLines(args[0]).Where(l => l.Length > 0))
{
    var query = JsonDocument.Parse(line).RootElement;
    var vector = (await generator.GenerateAsync([query.GetProperty("query").GetString()!]))[0].Vector.ToArray();
    output.WriteLine($"{query.GetProperty("id").GetString()}\t[{string.Join(",", vector.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}]");
    count++;
}

Console.WriteLine($"{count} queries embedded with {generator.Model} into {args[1]}");
return 0;
