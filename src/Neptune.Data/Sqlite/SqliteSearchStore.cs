using System.Text.Json;

namespace Neptune.Data.Sqlite;

public sealed class SqliteSearchStore(SqliteDatabase db) : ISearchStore
{
    public Task<IReadOnlySet<long>?> FilterAsync(UserId user, long? folderId, string? tag, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        db.ReadAsync<IReadOnlySet<long>?>(async c =>
        {
            var command = c.Sql("").With("$u", user.Value);
            var filters = NoteFilterSql.Build(command, folderId, tag, from, to);
            if (filters.Length == 0 && !await NoteFilterSql.HasOtherOwnersAsync(c, user, ct))
            {
                return null;
            }

            command.CommandText = $"SELECT n.id FROM notes n WHERE n.user_id = $u AND n.deleted_at IS NULL{filters}";
            return (await command.ListAsync(r => r.GetInt64(0), ct)).ToHashSet();
        }, ct);

    public Task<IReadOnlyList<ChunkedNote>> GetNotesAsync(UserId user, IReadOnlyCollection<long> noteIds, IReadOnlyCollection<long> chunkIds, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<ChunkedNote>>(async c =>
        {
            if (noteIds.Count == 0)
            {
                return [];
            }

            var chunks = chunkIds.Count == 0 ? [] : await c.Sql("""
                SELECT id, note_id, ordinal, start, "end"
                FROM chunks
                WHERE id IN (SELECT value FROM json_each($ids))
                """).With("$ids", JsonSerializer.Serialize(chunkIds))
                .ListAsync(r => new ChunkSpan(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4)), ct);
            var byNote = chunks.ToLookup(x => x.NoteId);
            return await c.Sql($"""
                SELECT {SqliteNoteStore.SummaryColumns}, n.content, ni.version
                FROM notes n
                LEFT JOIN note_index ni ON ni.note_id = n.id
                WHERE n.id IN (SELECT value FROM json_each($ids)) AND n.deleted_at IS NULL AND n.user_id = $u
                """).With("$ids", JsonSerializer.Serialize(noteIds)).With("$u", user.Value)
                .ListAsync(r =>
                {
                    var note = SqliteNoteStore.MapSummary(r);
                    return new ChunkedNote(note, r.GetString(11), r.GetNullableInt64(12), [.. byNote[note.Id]]);
                }, ct);
        }, ct);

    public Task<IReadOnlySet<long>> LeadChunksAsync(IReadOnlyCollection<long> chunkIds, CancellationToken ct) =>
        chunkIds.Count == 0 ? Task.FromResult<IReadOnlySet<long>>(new HashSet<long>()) : db.ReadAsync<IReadOnlySet<long>>(async c => (await c.Sql("""
            SELECT id FROM chunks WHERE id IN (SELECT value FROM json_each($ids)) AND ordinal = 0
            """).With("$ids", JsonSerializer.Serialize(chunkIds)).ListAsync(r => r.GetInt64(0), ct)).ToHashSet(), ct);

    public Task<IReadOnlySet<long>> LinkedNotesAsync(long noteId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlySet<long>>(async c => (await c.Sql("""
            SELECT target_note_id FROM links WHERE source_note_id = $id AND target_note_id IS NOT NULL
            UNION
            SELECT source_note_id FROM links WHERE target_note_id = $id
            """).With("$id", noteId).ListAsync(r => r.GetInt64(0), ct)).ToHashSet(), ct);
}
