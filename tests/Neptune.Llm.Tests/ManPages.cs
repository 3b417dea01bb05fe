using System.Text.Json;

namespace Neptune.Llm.Tests;

/// <summary>Pages of the shared man-page corpus (<c>../shared/datasets/manpages</c> from the repository root), read by id.</summary>
public static class ManPages
{
    private static readonly Lazy<string> Corpus = new(() =>
    {
        var relative = Path.Combine("shared", "datasets", "manpages", "corpus.jsonl");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, relative)))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException($"No '{relative}' in any parent of {AppContext.BaseDirectory}: check out the shared datasets next to the repository (../shared).");
    });

    public static IReadOnlyDictionary<string, (string Title, string Text)> Read(params string[] ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var pages = new Dictionary<string, (string Title, string Text)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Corpus.Value))
        {
            using var page = JsonDocument.Parse(line);
            var id = page.RootElement.GetProperty("id").GetString()!;
            if (wanted.Contains(id))
            {
                pages[id] = (page.RootElement.GetProperty("title").GetString()!, page.RootElement.GetProperty("text").GetString()!);
            }
        }

        Assert.True(pages.Count == wanted.Count, $"Missing from the corpus: {string.Join(", ", wanted.Except(pages.Keys))}");
        return pages;
    }
}
