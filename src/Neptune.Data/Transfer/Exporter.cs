using System.Text;
using Neptune.Core;

namespace Neptune.Data.Transfer;

public sealed record ExportSummary(string Target, int Notes, int Folders, int Attachments, TimeSpan Elapsed);

/// <summary>Writes every live note as &lt;folder path&gt;/&lt;file name&gt;.md, with attachments at their paths, so that an import gives the same notes back.</summary>
public sealed class Exporter(IFolderStore folders, INoteStore notes, IAttachmentStore attachments)
{
    // The CLI is the operator's: it reads and writes the built-in user's knowledge base (the desktop's).
    private static readonly UserId Owner = UserId.Local;

    public async Task<ExportSummary> ExportAsync(string target, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var root = Path.GetFullPath(target);
        if (File.Exists(root) || (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any()))
        {
            throw NeptuneException.Invalid("dir", $"'{target}' is not an empty folder: export into a new or empty folder, so no file of yours is overwritten.");
        }

        Directory.CreateDirectory(root);
        var paths = await folders.GetPathsAsync(Owner, ct);
        foreach (var path in paths.Values)
        {
            Directory.CreateDirectory(Path.Combine(root, path));
        }

        var noteCount = 0;
        await foreach (var note in notes.ReadAllAsync(Owner, ct))
        {
            var folder = note.Summary.FolderId is { } id && paths.TryGetValue(id, out var p) ? p : "";
            await WriteNewFileAsync(Path.Combine(root, folder), note.Summary.FileName, note.Content, ct);
            noteCount++;
        }

        var attachmentCount = 0;
        foreach (var attachment in await attachments.ListAsync(Owner, ct))
        {
            var destination = Path.Combine(root, attachment.Path);
            if (File.Exists(destination))
            {
                continue;  // a note of the same path was written already; never overwrite it
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            await using (var source = await attachments.OpenReadAsync(attachment, ct))
            await using (var copy = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(copy, ct);
            }

            attachmentCount++;
        }

        return new ExportSummary(root, noteCount, paths.Count, attachmentCount, started.Elapsed);
    }

    /// <summary>
    /// Creates &lt;stem&gt;.md, or &lt;stem&gt; (n).md when that name is taken: on a case-insensitive disk "Plan" and
    /// "plan" are one file, and an export must never write one note over another.
    /// </summary>
    private static async Task WriteNewFileAsync(string folder, string stem, string content, CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            var path = Path.Combine(folder, (n == 1 ? stem : $"{stem} ({n})") + ".md");
            try
            {
                await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                await file.WriteAsync(Utf8.GetBytes(content), ct);
                return;
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
}
