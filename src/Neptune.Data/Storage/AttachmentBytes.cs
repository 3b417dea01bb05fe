using System.Security.Cryptography;
using Neptune.Core;

namespace Neptune.Data.Storage;

/// <summary>An attachment's bytes as written: its normalised path, size and SHA-256.</summary>
public sealed record StoredBytes(string Path, long Size, string Sha256);

/// <summary>Where attachment bytes live (files in the data dir, or S3); the database indexes them by path either way.</summary>
public interface IAttachmentBytes
{
    /// <summary>Writes the bytes before the database row that names them commits, so a committed row always has its bytes.</summary>
    Task<StoredBytes> WriteAsync(UserId user, string relativePath, Stream content, CancellationToken ct);

    /// <summary>The bytes of an attachment the database knows; a seekable stream when they are a local file (so ranges work).</summary>
    Task<Stream> OpenReadAsync(Attachment attachment, CancellationToken ct);
}

/// <summary>
/// Mode db (the desktop): files under &lt;data&gt;/attachments, by path, for the built-in user; another user's under
/// &lt;data&gt;/users/&lt;id&gt;/attachments, so two users' files at the same path never overwrite each other.
/// </summary>
public sealed class LocalAttachmentBytes(StoreOptions options) : IAttachmentBytes
{
    public async Task<StoredBytes> WriteAsync(UserId user, string relativePath, Stream content, CancellationToken ct)
    {
        var (path, size, sha) = await AttachmentFiles.WriteAsync(DirectoryOf(user.Value), relativePath, content, ct);
        return new StoredBytes(path, size, sha);
    }

    public Task<Stream> OpenReadAsync(Attachment attachment, CancellationToken ct)
    {
        var dir = DirectoryOf(attachment.UserId);
        var file = Path.Combine(dir, attachment.Path);
        if (!File.Exists(file))
        {
            throw new NeptuneException(ErrorKind.NotFound, $"Attachment '{attachment.Path}' is indexed but its file is missing from {dir}.");
        }

        return Task.FromResult<Stream>(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous));
    }

    private string DirectoryOf(long user) =>
        user == UserId.Local.Value ? options.AttachmentsDir : Path.Combine(options.DataDir, "users", user.ToString(System.Globalization.CultureInfo.InvariantCulture), "attachments");
}

/// <summary>
/// Modes dual and s3: one object per distinct content, keyed by its SHA-256 under the store's prefix (never by the
/// user's path). The upload is spooled to a temp file while it is hashed, so memory stays flat whatever its size and
/// the object is written whole, before the row.
/// </summary>
public sealed class S3AttachmentBytes(IObjectStore objects, StoreOptions options) : IAttachmentBytes
{
    public async Task<StoredBytes> WriteAsync(UserId user, string relativePath, Stream content, CancellationToken ct)
    {
        var path = AttachmentPaths.Normalize(relativePath)
            ?? throw NeptuneException.Invalid("path", $"'{relativePath}' is not a relative path inside the attachments folder.");
        var spoolDir = Path.Combine(options.DataDir, "tmp");
        Directory.CreateDirectory(spoolDir);
        var spool = Path.Combine(spoolDir, "upload-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }

            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var size = file.Length;
            file.Position = 0;
            try
            {
                await objects.PutAsync(objects.Keys.Attachment(sha), file, Sqlite.ContentTypes.For(path), ct);
            }
            catch (NeptuneException e) when (e.Kind == ErrorKind.Unavailable)
            {
                throw new NeptuneException(ErrorKind.Unavailable,
                    $"Attachment '{path}' was not saved: object storage did not take it ({e.Message}). Nothing was written; upload it again once object storage answers.");
            }

            return new StoredBytes(path, size, sha);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    public async Task<Stream> OpenReadAsync(Attachment attachment, CancellationToken ct)
    {
        var key = objects.Keys.Attachment(attachment.Sha256);
        Stream? stream;
        try
        {
            stream = await objects.OpenReadAsync(key, ct);
        }
        catch (NeptuneException e) when (e.Kind == ErrorKind.Unavailable)
        {
            throw new NeptuneException(ErrorKind.Unavailable, $"Attachment '{attachment.Path}' cannot be read now: {e.Message} Try again once object storage answers.");
        }

        return stream ?? throw new NeptuneException(ErrorKind.Unavailable,
            $"Attachment '{attachment.Path}' is indexed but its object {key} is missing from object storage; upload the file again to restore it.");
    }
}
