using System.Security.Cryptography;
using Neptune.Core;

namespace Neptune.Data;

/// <summary>Attachment files under &lt;data&gt;/attachments, whichever database indexes them.</summary>
internal static class AttachmentFiles
{
    /// <summary>
    /// Writes <paramref name="content"/> to a temp file and moves it over the target, so a reader never sees half a file;
    /// returns the normalised relative path, the size and the SHA-256.
    /// </summary>
    public static async Task<(string Path, long Size, string Sha256)> WriteAsync(string attachmentsDir, string relativePath, Stream content, CancellationToken ct)
    {
        var path = AttachmentPaths.Normalize(relativePath)
            ?? throw NeptuneException.Invalid("path", $"'{relativePath}' is not a relative path inside the attachments folder.");
        var root = System.IO.Path.GetFullPath(attachmentsDir);
        var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, path));
        if (!target.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw NeptuneException.Invalid("path", $"'{relativePath}' escapes the attachments folder.");
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        var temp = target + ".tmp-" + Guid.NewGuid().ToString("N");
        long size;
        string sha;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                file.Flush(flushToDisk: true);
                size = file.Length;
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return (path, size, sha);
    }
}
