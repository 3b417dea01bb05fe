namespace Neptune.Data.Postgres;

public sealed class PostgresSearchStore(PostgresDatabase db) : ISearchStore
{
    public Task<IReadOnlySet<long>?> FilterAsync(UserId user, long? folderId, string? tag, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        db.ReadAsync<IReadOnlySet<long>?>(async c =>
        {
            var command = c.Sql("").With("u", user.Value);
            var filters = PostgresNoteFilter.Build(command, folderId, tag, from, to);
            if (filters.Length == 0 && !await c.Sql("SELECT EXISTS (SELECT 1 FROM notes WHERE user_id < @u) OR EXISTS (SELECT 1 FROM notes WHERE user_id > @u)").With("u", user.Value).ScalarAsync<bool>(ct))
            {
                return null;
            }

            command.CommandText = $"SELECT n.id FROM notes n WHERE n.user_id = @u AND n.deleted_at IS NULL{filters}";
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
                SELECT id, note_id, ordinal, start, "end" FROM chunks WHERE id = ANY (@ids)
                """).With("ids", chunkIds.ToArray())
                .ListAsync(r => new ChunkSpan(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4)), ct);
            var byNote = chunks.ToLookup(x => x.NoteId);
            return await c.Sql($"""
                SELECT {PostgresNoteStore.SummaryColumns}, n.content, ni.version
                FROM notes n
                LEFT JOIN note_index ni ON ni.note_id = n.id
                WHERE n.id = ANY (@ids) AND n.deleted_at IS NULL AND n.user_id = @u
                """).With("ids", noteIds.ToArray()).With("u", user.Value)
                .ListAsync(r =>
                {
                    var note = PostgresNoteStore.MapSummary(r);
                    return new ChunkedNote(note, r.GetString(11), r.GetNullableInt64(12), [.. byNote[note.Id]]);
                }, ct);
        }, ct);

    public Task<IReadOnlySet<long>> LeadChunksAsync(IReadOnlyCollection<long> chunkIds, CancellationToken ct) =>
        chunkIds.Count == 0 ? Task.FromResult<IReadOnlySet<long>>(new HashSet<long>()) : db.ReadAsync<IReadOnlySet<long>>(async c => (await c.Sql(
            "SELECT id FROM chunks WHERE id = ANY (@ids) AND ordinal = 0").With("ids", chunkIds.ToArray()).ListAsync(r => r.GetInt64(0), ct)).ToHashSet(), ct);

    public Task<IReadOnlySet<long>> LinkedNotesAsync(long noteId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlySet<long>>(async c => (await c.Sql("""
            SELECT target_note_id FROM links WHERE source_note_id = @id AND target_note_id IS NOT NULL
            UNION
            SELECT source_note_id FROM links WHERE target_note_id = @id
            """).With("id", noteId).ListAsync(r => r.GetInt64(0), ct)).ToHashSet(), ct);
}
