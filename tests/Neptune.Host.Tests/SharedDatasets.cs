namespace Neptune.Host.Tests;

/// <summary>The shared datasets live next to the repository (<c>../shared</c> from its root), wherever the checkout is.</summary>
public static class SharedDatasets
{
    private static readonly Lazy<string> ManPagesDir = new(() => Locate(Path.Combine("shared", "datasets", "manpages")));

    public static string ManPagesCorpus => Path.Combine(ManPagesDir.Value, "corpus.jsonl");

    public static string ManPagesQueries => Path.Combine(ManPagesDir.Value, "queries-dev.jsonl");

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
