using System.Text.Json;

namespace Neptune.Testing;

/// <summary>The shared datasets live next to the repository (<c>../shared</c> from its root), wherever the checkout is.</summary>
public static class SharedDatasets
{
    private static readonly Lazy<string> ManPagesDir = new(() => Locate(Path.Combine("shared", "datasets", "manpages")));

    public static string ManPagesCorpus => Path.Combine(ManPagesDir.Value, "corpus.jsonl");

    public static string ManPagesQueries => Path.Combine(ManPagesDir.Value, "queries-dev.jsonl");

    public static string ManPagesRelated => Path.Combine(ManPagesDir.Value, "related-dev.jsonl");

    /// <summary>The named man pages (ids such as "cut.1") from the corpus; every id must be there.</summary>
    public static IReadOnlyDictionary<string, (string Title, string Text)> ManPages(params string[] ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var pages = new Dictionary<string, (string Title, string Text)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(ManPagesCorpus))
        {
            using var page = JsonDocument.Parse(line);
            var id = page.RootElement.GetProperty("id").GetString()!;
            if (wanted.Contains(id))
            {
                pages[id] = (page.RootElement.GetProperty("title").GetString()!, page.RootElement.GetProperty("text").GetString()!);
            }
        }

        var missing = wanted.Except(pages.Keys).ToList();
        return missing.Count == 0 ? pages : throw new KeyNotFoundException($"Missing from the corpus: {string.Join(", ", missing)}");
    }

    /// <summary>The dev query (the page's one-line NAME description) whose relevant page is <paramref name="id"/>.</summary>
    public static string NameLine(string id)
    {
        foreach (var line in File.ReadLines(ManPagesQueries))
        {
            using var row = JsonDocument.Parse(line);
            if (row.RootElement.GetProperty("relevant").EnumerateArray().Any(r => r.GetString() == id))
            {
                return row.RootElement.GetProperty("query").GetString()!;
            }
        }

        throw new KeyNotFoundException($"No dev query names {id}.");
    }

    private static string Locate(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No '{relative}' folder in any parent of {AppContext.BaseDirectory}: check out the shared datasets next to the repository (../shared).");
    }
}
