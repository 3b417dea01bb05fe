using System.Text;
using System.Text.Json;
using Neptune.Core;
using Neptune.Core.Markdown;

namespace Neptune.Data.Transfer;

public sealed record SkippedFile(string Path, string Reason);

public sealed record ImportSummary(
    string Source,
    int Created,
    int Updated,
    int Unchanged,
    int Folders,
    int Attachments,
    IReadOnlyList<SkippedFile> Skipped,
    TimeSpan Elapsed);

/// <summary>Progress of an import: how many of the source's items are done.</summary>
public readonly record struct ImportProgress(string Stage, int Done, int Total);

/// <summary>
/// Imports a Markdown folder (an Obsidian vault included) or a JSONL file of {"id","title","text"} lines.
/// Re-importing the same source is idempotent: notes match by source id, else by folder and file name.
/// </summary>
public sealed class Importer(IFolderStore folders, INoteStore notes, IAttachmentStore attachments, StoreOptions options)
{
    // The CLI is the operator's: it reads and writes the built-in user's knowledge base (the desktop's).
    private static readonly UserId Owner = UserId.Local;

    private const int BatchSize = 500;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Task<ImportSummary> ImportAsync(string source, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var path = Path.GetFullPath(source);
        if (Directory.Exists(path))
        {
            return ImportFolderAsync(path, progress, ct);
        }

        if (File.Exists(path))
        {
            return path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
                ? ImportJsonlAsync(path, progress, ct)
                : throw NeptuneException.Invalid("path", $"'{source}' is a file but not a .jsonl file: pass a Markdown folder or a JSONL file.");
        }

        throw NeptuneException.Invalid("path", $"'{source}' does not exist: pass a Markdown folder or a JSONL file.");
    }

    private async Task<ImportSummary> ImportJsonlAsync(string path, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var skipped = new List<SkippedFile>();
        var batch = new List<ImportedNote>();
        var totals = new int[3];
        var name = Path.GetFileName(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var totalKb = (int)Math.Min(int.MaxValue, stream.Length / 1024);
        var lineNo = 0;
        foreach (var bytes in ReadByteLines(stream))
        {
            lineNo++;
            var line = ReadText(bytes);
            if (line is null)
            {
                skipped.Add(new SkippedFile($"{name}:{lineNo}", "line is not valid UTF-8 text"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (id, title, text, error) = ParseJsonLine(line);
            if (error is not null)
            {
                skipped.Add(new SkippedFile($"{name}:{lineNo}", error));
                continue;
            }

            if (Encoding.UTF8.GetByteCount(text) > options.MaxNoteBytes)
            {
                skipped.Add(new SkippedFile($"{name}:{lineNo}", $"text is larger than the {options.MaxNoteBytes:N0}-byte note limit"));
                continue;
            }

            batch.Add(new ImportedNote(null, title, text, id));
            if (batch.Count == BatchSize)
            {
                await FlushAsync(batch, totals, ct);
                progress?.Report(new ImportProgress("notes", (int)(stream.Position / 1024), totalKb));
            }
        }

        await FlushAsync(batch, totals, ct);
        progress?.Report(new ImportProgress("notes", totalKb, totalKb));
        return new ImportSummary(path, totals[0], totals[1], totals[2], 0, 0, skipped, started.Elapsed);
    }

    /// <summary>Lines as raw bytes, so one badly encoded line is skipped and reported instead of failing the file.</summary>
    private static IEnumerable<byte[]> ReadByteLines(Stream stream)
    {
        var line = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    line.Write(buffer, start, i - start);
                    yield return line.ToArray();
                    line.SetLength(0);
                    start = i + 1;
                }
            }

            line.Write(buffer, start, read - start);
        }

        if (line.Length > 0)
        {
            yield return line.ToArray();
        }
    }

    private static (string Id, string Title, string Text, string? Error) ParseJsonLine(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ("", "", "", "line is not a JSON object");
            }

            string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var id = Field("id");
            var text = Field("text");
            if (string.IsNullOrWhiteSpace(id))
            {
                return ("", "", "", "missing string field 'id'");
            }

            if (text is null)
            {
                return ("", "", "", "missing string field 'text'");
            }

            var title = Field("title");
            return (id, string.IsNullOrWhiteSpace(title) ? id : title, text, null);
        }
        catch (JsonException e)
        {
            return ("", "", "", $"not valid JSON: {e.Message}");
        }
    }

    private async Task<ImportSummary> ImportFolderAsync(string root, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var skipped = new List<SkippedFile>();
        var directories = new List<string>();
        var noteFiles = new List<string>();
        var otherFiles = new List<string>();
        Walk(root, root, directories, noteFiles, otherFiles, skipped);

        var folderIds = new Dictionary<string, long?>(StringComparer.Ordinal) { [""] = null };
        foreach (var dir in directories)
        {
            ct.ThrowIfCancellationRequested();
            var relative = Relative(root, dir);
            var names = relative.Split('/');
            if (names.FirstOrDefault(n => NoteNames.ValidateFolderName(n) is not null) is { } bad)
            {
                skipped.Add(new SkippedFile(relative, $"folder name '{bad}' is not allowed: {NoteNames.ValidateFolderName(bad)}"));
                continue;
            }

            folderIds[relative] = await folders.EnsurePathAsync(Owner, names, ct);
        }

        var attachmentCount = 0;
        foreach (var file in otherFiles)
        {
            ct.ThrowIfCancellationRequested();
            var relative = Relative(root, file);
            if (await attachments.FindAsync(Owner, relative, ct) is { } existing && existing.Sha256 != await Sha256Async(file, ct))
            {
                // Attachments keep no history, so a different file at the same path is never written over.
                skipped.Add(new SkippedFile(relative, "an attachment with this path and different content is already stored; it was not overwritten"));
                continue;
            }

            await using var stream = File.OpenRead(file);
            await attachments.SaveAsync(Owner, relative, stream, ct);
            attachmentCount++;
            progress?.Report(new ImportProgress("attachments", attachmentCount, otherFiles.Count));
        }

        var totals = new int[3];
        var batch = new List<ImportedNote>();
        var done = 0;
        foreach (var file in noteFiles)
        {
            ct.ThrowIfCancellationRequested();
            done++;
            var relative = Relative(root, file);
            var folderKey = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.LastIndexOf('/')] : "";
            if (!folderIds.TryGetValue(folderKey, out var folderId))
            {
                skipped.Add(new SkippedFile(relative, "its folder could not be imported"));
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(file, ct);
            if (ReadText(bytes) is not { } content)
            {
                skipped.Add(new SkippedFile(relative, Array.IndexOf(bytes, (byte)0) >= 0 ? "binary file (contains NUL bytes)" : "not valid UTF-8 text"));
                continue;
            }

            if (Encoding.UTF8.GetByteCount(content) > options.MaxNoteBytes)
            {
                skipped.Add(new SkippedFile(relative, $"larger than the {options.MaxNoteBytes:N0}-byte note limit"));
                continue;
            }

            var stem = Path.GetFileNameWithoutExtension(file);
            if (NoteNames.ValidateName(stem) is { } problem)
            {
                skipped.Add(new SkippedFile(relative, $"file name not allowed: {problem}"));
                continue;
            }

            batch.Add(new ImportedNote(folderId, stem, content, $"{Path.GetFileName(root)}/{relative}"));
            if (batch.Count == BatchSize)
            {
                await FlushAsync(batch, totals, ct);
                progress?.Report(new ImportProgress("notes", done, noteFiles.Count));
            }
        }

        await FlushAsync(batch, totals, ct);
        progress?.Report(new ImportProgress("notes", noteFiles.Count, noteFiles.Count));
        return new ImportSummary(root, totals[0], totals[1], totals[2], folderIds.Count - 1, attachmentCount, skipped, started.Elapsed);
    }

    private static async Task<string> Sha256Async(string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, ct));
    }

    private async Task FlushAsync(List<ImportedNote> batch, int[] totals, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        foreach (var outcome in await notes.ImportAsync(Owner, batch, ct))
        {
            totals[(int)outcome]++;
        }

        batch.Clear();
    }

    /// <summary>Strict UTF-8 with no NUL bytes, BOM dropped; null when the bytes are not text.</summary>
    private static string? ReadText(byte[] bytes)
    {
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            return null;
        }

        try
        {
            var span = bytes.AsSpan();
            if (span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }

            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static void Walk(string root, string dir, List<string> directories, List<string> noteFiles, List<string> otherFiles, List<SkippedFile> skipped)
    {
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            // Hidden entries (.obsidian/, .git/, .trash/, .DS_Store) are app state, not notes; say so all the same.
            if (entry.Name.StartsWith('.'))
            {
                skipped.Add(new SkippedFile(Relative(root, entry.FullName) + (entry is DirectoryInfo ? "/" : ""), "hidden"));
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                skipped.Add(new SkippedFile(Relative(root, entry.FullName), "symbolic link"));
                continue;
            }

            if (entry is DirectoryInfo sub)
            {
                directories.Add(sub.FullName);
                Walk(root, sub.FullName, directories, noteFiles, otherFiles, skipped);
            }
            else if (entry.Extension.Equals(".md", StringComparison.OrdinalIgnoreCase) || entry.Extension.Equals(".markdown", StringComparison.OrdinalIgnoreCase))
            {
                noteFiles.Add(entry.FullName);
            }
            else
            {
                otherFiles.Add(entry.FullName);
            }
        }
    }

    private static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
