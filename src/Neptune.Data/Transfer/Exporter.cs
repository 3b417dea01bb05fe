using System.Text;
using Neptune.Core;

namespace Neptune.Data.Transfer;

public sealed record ExportSummary(string Target, int Notes, int Folders, int Attachments, TimeSpan Elapsed);

/// <summary>Writes every live note as &lt;folder path&gt;/&lt;file name&gt;.md, with attachments at their paths, so that an import gives the same notes back.</summary>
public sealed class Exporter(IFolderStore folders, INoteStore notes, IAttachmentStore attachments, StoreOptions options)
{
    public async Task<ExportSummary> ExportAsync(string target, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var root = Path.GetFullPath(target);
        if (File.Exists(root) || (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any()))
        {
            throw NeptuneException.Invalid("dir", $"'{target}' is not an empty folder: export into a new or empty folder, so no file of yours is overwritten.");
        }

        Directory.CreateDirectory(root);
        var paths = await folders.GetPathsAsync(ct);
        foreach (var path in paths.Values)
        {
            Directory.CreateDirectory(Path.Combine(root, path));
        }

        var noteCount = 0;
        await foreach (var note in notes.ReadAllAsync(ct))
        {
            var folder = note.Summary.FolderId is { } id && paths.TryGetValue(id, out var p) ? p : "";
            var file = Path.Combine(root, folder, note.Summary.FileName + ".md");
            await File.WriteAllTextAsync(file, note.Content, new UTF8Encoding(false), ct);
            noteCount++;
        }

        var attachmentCount = 0;
        foreach (var attachment in await attachments.ListAsync(ct))
        {
            var source = Path.Combine(options.AttachmentsDir, attachment.Path);
            var destination = Path.Combine(root, attachment.Path);
            if (File.Exists(destination))
            {
                continue;  // a note of the same path was written already; never overwrite it
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
            attachmentCount++;
        }

        return new ExportSummary(root, noteCount, paths.Count, attachmentCount, started.Elapsed);
    }
}
