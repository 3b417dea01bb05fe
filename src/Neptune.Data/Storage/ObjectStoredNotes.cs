using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Neptune.Core;
using Neptune.Core.Notes;
using Neptune.Data.Sqlite;

namespace Neptune.Data.Storage;

/// <summary>
/// Note text in object storage as well as in the database (modes dual and s3; docs/decisions.md). The database keeps
/// the text in both modes: full-text search, links and the indexer read it there. One object per distinct text,
/// keyed by its SHA-256, so a key never changes meaning and a write that loses a race cannot overwrite a winner's object.
/// </summary>
public sealed class ObjectStoredNotes(INoteStore inner, IObjectStore objects, StorageMode mode, StoreOptions options, ILogger<ObjectStoredNotes> logger) : INoteStore
{
    private const string MarkdownType = "text/markdown; charset=utf-8";

    public async Task<Note> GetAsync(UserId user, long id, CancellationToken ct)
    {
        var note = await inner.GetAsync(user, id, ct);
        return mode == StorageMode.S3 ? await ReadFromObjectAsync(note, ct) : await RepairAsync(note, ct);
    }

    public async Task<Note> CreateAsync(UserId user, NewNote note, CancellationToken ct)
    {
        if (mode == StorageMode.S3)
        {
            await PutFirstAsync(note.Content, "The note was not created", ct);
            return await inner.CreateAsync(user, note, ct);
        }

        var created = await inner.CreateAsync(user, note, ct);
        await MirrorAsync(created.Id, created.Content, ct);
        return created;
    }

    public async Task<Note> UpdateAsync(UserId user, long id, long? expectedVersion, string content, string? title, CancellationToken ct)
    {
        if (mode == StorageMode.S3)
        {
            await PutFirstAsync(content, "The note was not saved", ct);
            return await inner.UpdateAsync(user, id, expectedVersion, content, title, ct);
        }

        var updated = await inner.UpdateAsync(user, id, expectedVersion, content, title, ct);
        await MirrorAsync(id, updated.Content, ct);
        return updated;
    }

    public async Task<Note> RestoreRevisionAsync(UserId user, long id, long version, long? expectedVersion, CancellationToken ct)
    {
        if (mode == StorageMode.S3)
        {
            var revision = await inner.GetRevisionAsync(user, id, version, ct);
            await PutFirstAsync(revision.Content ?? "", "The revision was not restored", ct);
            return await inner.RestoreRevisionAsync(user, id, version, expectedVersion, ct);
        }

        var restored = await inner.RestoreRevisionAsync(user, id, version, expectedVersion, ct);
        await MirrorAsync(id, restored.Content, ct);
        return restored;
    }

    public async Task<IReadOnlyList<ImportOutcome>> ImportAsync(UserId user, IReadOnlyList<ImportedNote> notes, CancellationToken ct)
    {
        if (mode == StorageMode.S3)
        {
            foreach (var content in notes.Select(n => n.Content).Distinct(StringComparer.Ordinal))
            {
                await PutFirstAsync(content, "The import batch was not written", ct);
            }

            return await inner.ImportAsync(user, notes, ct);
        }

        var outcomes = await inner.ImportAsync(user, notes, ct);
        for (var i = 0; i < notes.Count; i++)
        {
            if (outcomes[i] != ImportOutcome.Unchanged)
            {
                await MirrorAsync(null, notes[i].Content, ct);
            }
        }

        return outcomes;
    }

    public Task<Page<NoteSummary>> ListAsync(UserId user, NoteQuery query, CancellationToken ct) => inner.ListAsync(user, query, ct);

    public Task<Note> MoveAsync(UserId user, long id, long? expectedVersion, long? folderId, CancellationToken ct) => inner.MoveAsync(user, id, expectedVersion, folderId, ct);

    public Task DeleteAsync(UserId user, long id, long? expectedVersion, CancellationToken ct) => inner.DeleteAsync(user, id, expectedVersion, ct);

    public Task<Note> RestoreAsync(UserId user, long id, CancellationToken ct) => inner.RestoreAsync(user, id, ct);

    public Task<IReadOnlyList<NoteRevision>> ListRevisionsAsync(UserId user, long id, CancellationToken ct) => inner.ListRevisionsAsync(user, id, ct);

    public Task<NoteRevision> GetRevisionAsync(UserId user, long id, long version, CancellationToken ct) => inner.GetRevisionAsync(user, id, version, ct);

    public Task<IReadOnlyList<ResolvedLink>> GetBacklinksAsync(UserId user, long id, CancellationToken ct) => inner.GetBacklinksAsync(user, id, ct);

    public Task<IReadOnlyList<ResolvedLink>> GetOutgoingLinksAsync(UserId user, long id, CancellationToken ct) => inner.GetOutgoingLinksAsync(user, id, ct);

    public Task<IReadOnlyList<ResolvedLink>> GetDanglingLinksAsync(UserId user, int limit, CancellationToken ct) => inner.GetDanglingLinksAsync(user, limit, ct);

    public Task<IReadOnlyList<TagCount>> ListTagsAsync(UserId user, CancellationToken ct) => inner.ListTagsAsync(user, ct);

    public Task<TrashContents> GetTrashAsync(UserId user, CancellationToken ct) => inner.GetTrashAsync(user, ct);

    public Task PurgeNoteAsync(UserId user, long id, CancellationToken ct) => inner.PurgeNoteAsync(user, id, ct);

    public Task<int> PurgeTrashAsync(UserId user, CancellationToken ct) => inner.PurgeTrashAsync(user, ct);

    public IAsyncEnumerable<Note> ReadAllAsync(UserId user, CancellationToken ct) => inner.ReadAllAsync(user, ct);

    public string KeyOf(string content) => objects.Keys.Note(NoteWriter.Hash(content));

    /// <summary>s3 mode: the object must hold the text before the row that names it commits; if it cannot, nothing is written.</summary>
    private async Task PutFirstAsync(string content, string outcome, CancellationToken ct)
    {
        if (Encoding.UTF8.GetByteCount(content) > options.MaxNoteBytes)
        {
            return;  // the store refuses it with the limit in the message; no object for a note that will not exist
        }

        try
        {
            await PutAsync(content, ct);
        }
        catch (NeptuneException e) when (e.Kind == ErrorKind.Unavailable)
        {
            throw new NeptuneException(ErrorKind.Unavailable,
                $"{outcome}: object storage holds every note's text in storage mode s3 and did not take it ({e.Message}). Nothing was written; send it again once object storage answers.");
        }
    }

    /// <summary>dual mode: the database has committed (the record); a failed mirror is logged and repaired by the next read.</summary>
    private async Task MirrorAsync(long? id, string content, CancellationToken ct)
    {
        try
        {
            await PutAsync(content, ct);
        }
        catch (NeptuneException e) when (e.Kind == ErrorKind.Unavailable)
        {
            logger.LogWarning("Note {NoteId} is saved in the database but not yet mirrored to object storage (repaired on its next read): {Reason}", id, e.Message);
        }
    }

    /// <summary>dual mode: served from the database; the object is checked by its ETag (the MD5 of a plain PUT) and rewritten when it is missing or differs.</summary>
    private async Task<Note> RepairAsync(Note note, CancellationToken ct)
    {
        var key = KeyOf(note.Content);
        try
        {
            var etag = await objects.GetETagAsync(key, ct);
#pragma warning disable CA5351 // not security: S3 reports a plain PUT's ETag as the MD5 of its bytes, so this compares them without a download
            var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(note.Content)));
#pragma warning restore CA5351
            if (!string.Equals(etag, md5, StringComparison.OrdinalIgnoreCase))
            {
                logger.LogWarning("Object {Key} of note {NoteId} is {State}; rewriting it from the database", key, note.Id, etag is null ? "missing" : "different");
                await PutAsync(note.Content, ct);
            }
        }
        catch (NeptuneException e) when (e.Kind == ErrorKind.Unavailable)
        {
            logger.LogWarning("Note {NoteId} served from the database without checking its object: {Reason}", note.Id, e.Message);
        }

        return note;
    }

    /// <summary>
    /// s3 mode: the text comes from the object, checked against the SHA-256 the row recorded at commit. A missing or
    /// changed object is rewritten from the database's copy (same digest); unreachable storage degrades to that copy.
    /// </summary>
    private async Task<Note> ReadFromObjectAsync(Note note, CancellationToken ct)
    {
        var hash = NoteWriter.Hash(note.Content);
        var key = objects.Keys.Note(hash);
        try
        {
            string? stored = null;
            await using (var stream = await objects.OpenReadAsync(key, ct))
            {
                if (stream is not null)
                {
                    using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
                    stored = await reader.ReadToEndAsync(ct);
                }
            }

            if (stored is not null && NoteWriter.Hash(stored) == hash)
            {
                return note with { Content = stored };
            }

            logger.LogWarning("Object {Key} of note {NoteId} is {State}; rewriting it from the database's copy", key, note.Id, stored is null ? "missing" : "different");
            await PutAsync(note.Content, ct);
        }
        catch (NeptuneException e) when (e.Kind == ErrorKind.Unavailable)
        {
            logger.LogWarning("Degraded read: note {NoteId} served from the database's copy, object storage did not answer: {Reason}", note.Id, e.Message);
        }

        return note;
    }

    private async Task PutAsync(string content, CancellationToken ct)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(content), writable: false);
        await objects.PutAsync(KeyOf(content), body, MarkdownType, ct);
    }
}
