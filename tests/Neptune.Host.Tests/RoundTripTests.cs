using System.Text;
using System.Text.Json;

namespace Neptune.Host.Tests;

/// <summary>Import a vault, export it, import the export elsewhere and export again: the same files, byte for byte.</summary>
public sealed class RoundTripTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Enumerable.Range(0, 2048).Select(i => (byte)((i * 31) ^ (i >> 3)))];

    /// <summary>The notes and files of the vault that must come back exactly, by relative path.</summary>
    private static readonly Dictionary<string, byte[]> Kept = new()
    {
        ["Welcome.md"] = Utf8("""
            ---
            title: Welcome to the vault
            tags: [start, guide]
            aliases:
              - Home
            ---
            # Welcome

            Start with [[Plan]], or [[Plan|the plan]], its [[Plan#Milestones]] and [[Plan#Milestones|milestones]].
            Yesterday is in [the journal](Journal/2024-01-15.md). #inbox #guide/first-steps

            ![[pic.png]]
            ![A picture](assets/pic.png)

            """),
        ["Projects/Neptune/Plan.md"] = Utf8("""
            # Plan

            Back to [[Welcome]].

            ## Milestones

            - [ ] Ship the importer #project/neptune
            - [x] Write the tests

            ```csharp
            var notATag = "#hash";  // [[not a link]]
            ```

            """),
        ["Journal/2024-01-15.md"] = Utf8("""
            ---
            date: 2024-01-15
            mood: "café, naïve — 日本語 ✓"
            ---
            Met [[Welcome|the home page]] and [[Projects/Neptune/Plan#Milestones]]. Emoji: 🚀👩‍💻.
            """),
        ["Journal/Windows line endings.md"] = Encoding.UTF8.GetBytes("# CRLF\r\n\r\nLine one\r\nLine two with #tag\r\n"),
        ["Empty note.md"] = [],
        ["assets/pic.png"] = Png,
    };

    /// <summary>Folders that must come back, the empty ones included.</summary>
    private static readonly string[] KeptFolders = ["Projects", "Projects/Neptune", "Projects/Archive", "Journal", "assets", "Inbox"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 600_000)]
    public async Task Import_export_import_export_gives_back_the_same_files()
    {
        using var work = new TempDirectory("round-trip");
        var vault = work.Combine("vault");
        WriteVault(vault);

        var first = await Cli.RunAsync(["import", vault, "--data", work.Combine("data-1"), "--json"], Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        var summary = first.Json();
        Assert.Equal(Kept.Keys.Count(k => k.EndsWith(".md", StringComparison.Ordinal)), summary.GetProperty("created").GetInt32());
        Assert.Equal(1, summary.GetProperty("attachments").GetInt32());
        var skipped = summary.GetProperty("skipped").EnumerateArray()
            .ToDictionary(s => s.GetProperty("path").GetString()!, s => s.GetProperty("reason").GetString()!);
        Assert.Equal([".obsidian/", "Inbox/latin1.md", "bad.md"], skipped.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("hidden", skipped[".obsidian/"]);
        Assert.Contains("NUL", skipped["bad.md"], StringComparison.Ordinal);
        Assert.Contains("UTF-8", skipped["Inbox/latin1.md"], StringComparison.Ordinal);

        var exportA = work.Combine("export-a");
        var exported = await Cli.RunAsync(["export", exportA, "--data", work.Combine("data-1")], Ct);
        Assert.True(exported.ExitCode == 0, exported.ToString());

        var second = await Cli.RunAsync(["import", exportA, "--data", work.Combine("data-2"), "--json"], Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Empty(second.Json().GetProperty("skipped").EnumerateArray());

        var exportB = work.Combine("export-b");
        var exportedAgain = await Cli.RunAsync(["export", exportB, "--data", work.Combine("data-2")], Ct);
        Assert.True(exportedAgain.ExitCode == 0, exportedAgain.ToString());

        var a = Snapshot(exportA);
        var b = Snapshot(exportB);
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        Assert.All(a, entry => Assert.True(Same(entry.Value, b[entry.Key]), $"{entry.Key} differs between the two exports"));

        // The first export is the vault itself: every note and file at its path with its bytes, minus what was skipped.
        var expected = Kept.Keys.Concat(KeptFolders.Select(f => f + "/")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, a.Keys.Order(StringComparer.Ordinal));
        Assert.All(Kept, file => Assert.True(Same(file.Value, a[file.Key]),
            $"{file.Key} came back as {Describe(a[file.Key])}, not as the {file.Value.Length} bytes imported"));
        Assert.DoesNotContain(a.Keys, k => k.StartsWith(".obsidian", StringComparison.Ordinal));
    }

    [Fact(Timeout = 600_000)]
    public async Task Importing_the_same_vault_again_changes_nothing()
    {
        using var work = new TempDirectory("reimport");
        var vault = work.Combine("vault");
        WriteVault(vault);
        var first = await Cli.RunAsync(["import", vault, "--data", work.Combine("data"), "--json"], Ct);
        Assert.True(first.ExitCode == 0, first.ToString());

        var again = await Cli.RunAsync(["import", vault, "--data", work.Combine("data"), "--json"], Ct);

        Assert.True(again.ExitCode == 0, again.ToString());
        var summary = again.Json();
        Assert.Equal(0, summary.GetProperty("created").GetInt32());
        Assert.Equal(0, summary.GetProperty("updated").GetInt32());
        Assert.Equal(first.Json().GetProperty("created").GetInt32(), summary.GetProperty("unchanged").GetInt32());
        var status = await Cli.RunAsync(["status", "--json", "--data", work.Combine("data")], Ct);
        Assert.Equal(first.Json().GetProperty("created").GetInt32(), status.Json().GetProperty("counts").GetProperty("notes").GetInt32());
    }

    [Fact(Timeout = 600_000)]
    public async Task Files_whose_names_sanitise_alike_stay_separate_notes()
    {
        using var work = new TempDirectory("name-clash");
        var vault = work.Combine("vault");
        Write(vault, "a-b.md", Utf8("dash\n"));
        Write(vault, "a:b.md", Utf8("colon\n"));
        Write(vault, "c d.md", Utf8("one space\n"));
        Write(vault, "c  d.md", Utf8("two spaces\n"));

        var imported = await Cli.RunAsync(["import", vault, "--data", work.Combine("data"), "--json"], Ct);

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(4, imported.Json().GetProperty("created").GetInt32());
        Assert.Equal(0, imported.Json().GetProperty("updated").GetInt32());
        var exported = await Cli.RunAsync(["export", work.Combine("export"), "--data", work.Combine("data")], Ct);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var contents = Snapshot(work.Combine("export")).Values.Select(b => Encoding.UTF8.GetString(b!)).Order(StringComparer.Ordinal);
        Assert.Equal(["colon\n", "dash\n", "one space\n", "two spaces\n"], contents);
    }

    private static void WriteVault(string root)
    {
        foreach (var (path, bytes) in Kept)
        {
            Write(root, path, bytes);
        }

        foreach (var folder in KeptFolders)
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        Write(root, ".obsidian/app.json", Utf8("""{ "theme": "obsidian", "showLineNumber": true }"""));
        Write(root, ".obsidian/workspace.md", Utf8("# Not a note: app state"));
        Write(root, "bad.md", [.. "# Binary\n"u8, 0x00, 0x01, 0x02, 0x00, .. "tail\n"u8]);
        Write(root, "Inbox/latin1.md", [.. "Caf"u8, 0xE9, .. " cr"u8, 0xE8, .. "me br"u8, 0xFB, .. "l"u8, 0xE9, 0x0A]);
    }

    private static void Write(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Every file (by relative path) with its bytes, and every folder as "path/" with null.</summary>
    private static Dictionary<string, byte[]?> Snapshot(string root)
    {
        var tree = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            tree[entry is DirectoryInfo ? relative + "/" : relative] = entry is FileInfo file ? File.ReadAllBytes(file.FullName) : null;
        }

        return tree;
    }

    private static bool Same(byte[]? x, byte[]? y) => x is null || y is null ? x == y : x.AsSpan().SequenceEqual(y);

    private static string Describe(byte[]? bytes) =>
        bytes is null ? "a folder" : $"{bytes.Length} bytes {JsonSerializer.Serialize(Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 200)]))}";

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);
}
