using Neptune.Core;
using Neptune.Core.Markdown;
using Neptune.Core.Notes;
using Npgsql;

namespace Neptune.Data.Postgres;

public sealed class PostgresFolderStore(PostgresDatabase db, PostgresNoteWriter writer) : IFolderStore
{
    private const string Columns = "id, parent_id, name, created_at, updated_at, deleted_at";

    public async Task<FolderTree> GetTreeAsync(UserId user, CancellationToken ct)
    {
        var (folders, counts) = await db.ReadAsync(async c =>
        {
            var folders = await c.Sql("SELECT id, parent_id, name FROM folders WHERE user_id = @u AND deleted_at IS NULL ORDER BY lower(name), id").With("u", user.Value)
                .ListAsync(r => (Id: r.GetInt64(0), ParentId: r.GetNullableInt64(1), Name: r.GetString(2)), ct);
            var counts = await c.Sql("SELECT coalesce(folder_id, 0), count(*)::int FROM notes WHERE user_id = @u AND deleted_at IS NULL GROUP BY folder_id").With("u", user.Value)
                .ListAsync(r => (FolderId: r.GetInt64(0), Count: r.GetInt32(1)), ct);
            return (folders, counts.ToDictionary(x => x.FolderId, x => x.Count));
        }, ct);

        var children = folders.ToLookup(f => f.ParentId ?? 0);
        FolderNode Build((long Id, long? ParentId, string Name) f)
        {
            var kids = children[f.Id].Select(Build).ToList();
            var own = counts.GetValueOrDefault(f.Id);
            return new FolderNode(f.Id, f.ParentId, f.Name, own, own + kids.Sum(k => k.TotalNoteCount), kids);
        }

        var roots = children[0].Select(Build).ToList();
        var rootCount = counts.GetValueOrDefault(0);
        return new FolderTree(rootCount, rootCount + roots.Sum(r => r.TotalNoteCount), roots);
    }

    public Task<Folder> GetAsync(UserId user, long id, CancellationToken ct) =>
        db.ReadAsync(c => GetAsync(c, null, user, id, ct), ct);

    public Task<Folder> CreateAsync(UserId user, long? parentId, string name, CancellationToken ct)
    {
        name = ValidName(name);
        return db.WriteAsync(async (c, tx) =>
        {
            await RequireLiveFolderAsync(c, tx, user, parentId, "parentId", ct);
            await RequireFreeNameAsync(c, tx, user, parentId, name, null, ct);
            var id = await c.Sql("INSERT INTO folders (user_id, parent_id, name, created_at, updated_at) VALUES (@u, @p, @n, @t, @t) RETURNING id", tx)
                .With("u", user.Value).With("p", parentId).With("n", name).With("t", db.NowMs).ScalarAsync<long>(ct);
            return await GetAsync(c, tx, user, id, ct);
        }, ct);
    }

    public Task<Folder> RenameAsync(UserId user, long id, string name, CancellationToken ct)
    {
        name = ValidName(name);
        return db.WriteAsync(async (c, tx) =>
        {
            var folder = await GetLiveAsync(c, tx, user, id, ct);
            if (folder.Name == name)
            {
                return folder;
            }

            await RequireFreeNameAsync(c, tx, user, folder.ParentId, name, id, ct);
            await c.Sql("UPDATE folders SET name = @n, updated_at = @t WHERE id = @id", tx)
                .With("n", name).With("t", db.NowMs).With("id", id).ExecAsync(ct);
            return await GetAsync(c, tx, user, id, ct);
        }, ct);
    }

    public Task<Folder> MoveAsync(UserId user, long id, long? newParentId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var folder = await GetLiveAsync(c, tx, user, id, ct);
        if (folder.ParentId == newParentId)
        {
            return folder;
        }

        await RequireLiveFolderAsync(c, tx, user, newParentId, "parentId", ct);
        if (newParentId is { } target)
        {
            var ancestors = await c.Sql("""
                WITH RECURSIVE up(id, parent_id) AS (
                    SELECT id, parent_id FROM folders WHERE id = @target
                    UNION ALL
                    SELECT f.id, f.parent_id FROM folders f JOIN up ON f.id = up.parent_id
                )
                SELECT id FROM up
                """, tx).With("target", target).ListAsync(r => r.GetInt64(0), ct);
            if (ancestors.Contains(id))
            {
                throw new NeptuneException(ErrorKind.Conflict,
                    $"Folder {id} cannot move into {(target == id ? "itself" : $"its own subfolder {target}")}: choose a parent outside it.", "parentId");
            }
        }

        await RequireFreeNameAsync(c, tx, user, newParentId, folder.Name, id, ct);
        await c.Sql("UPDATE folders SET parent_id = @p, updated_at = @t WHERE id = @id", tx)
            .With("p", newParentId).With("t", db.NowMs).With("id", id).ExecAsync(ct);
        return await GetAsync(c, tx, user, id, ct);
    }, ct);

    public Task DeleteAsync(UserId user, long id, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await GetLiveAsync(c, tx, user, id, ct);
        var now = db.NowMs;
        var subtree = await SubtreeAsync(c, tx, id, live: true, ct);
        var notes = await c.Sql("SELECT id FROM notes WHERE deleted_at IS NULL AND folder_id = ANY (@ids)", tx)
            .With("ids", subtree).ListAsync(r => r.GetInt64(0), ct);
        await c.Sql("UPDATE folders SET deleted_at = @t WHERE id = ANY (@ids)", tx).With("t", now).With("ids", subtree).ExecAsync(ct);
        foreach (var noteId in notes)
        {
            await writer.TrashAsync(c, tx, noteId, now, ct);
        }

        return true;
    }, ct);

    public Task<Folder> RestoreAsync(UserId user, long id, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var folder = await GetAsync(c, tx, user, id, ct);
        if (folder.DeletedAt is not { } deletedAt)
        {
            return folder;
        }

        // A folder whose parent is still in the trash comes back at the top level.
        var parentId = folder.ParentId;
        if (parentId is { } p && (await GetAsync(c, tx, user, p, ct)).DeletedAt is not null)
        {
            parentId = null;
        }

        if (await FindLiveAsync(c, tx, user, parentId, folder.Name, ct) is { } taken)
        {
            throw new NeptuneException(ErrorKind.Conflict,
                $"Another folder named '{folder.Name}' (id {taken}) now stands where folder {id} was: rename or move that one first, then restore.");
        }

        var stamp = deletedAt.ToUnixTimeMilliseconds();
        var subtree = await SubtreeAsync(c, tx, id, live: false, ct);
        await c.Sql("""
            UPDATE folders SET deleted_at = NULL WHERE deleted_at = @s AND id = ANY (@ids);
            UPDATE folders SET parent_id = @p, updated_at = @t WHERE id = @id;
            """, tx).With("s", stamp).With("ids", subtree).With("p", parentId).With("t", db.NowMs).With("id", id).ExecAsync(ct);
        var notes = await c.Sql("SELECT id FROM notes WHERE deleted_at = @s AND folder_id = ANY (@ids)", tx)
            .With("s", stamp).With("ids", subtree).ListAsync(r => r.GetInt64(0), ct);
        foreach (var noteId in notes)
        {
            await writer.UntrashAsync(c, tx, noteId, db.NowMs, ct);
        }

        return await GetAsync(c, tx, user, id, ct);
    }, ct);

    public Task<int> PurgeAsync(UserId user, long id, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        if ((await GetAsync(c, tx, user, id, ct)).DeletedAt is null)
        {
            throw new NeptuneException(ErrorKind.Conflict, $"Folder {id} is not in the trash: delete it first, then purge it.");
        }

        var subtree = await SubtreeAsync(c, tx, id, live: false, ct);
        // Only trashed notes: were a live note still inside, the folder delete below would fail on its foreign key instead.
        var notes = await c.Sql("SELECT id FROM notes WHERE deleted_at IS NOT NULL AND folder_id = ANY (@ids)", tx)
            .With("ids", subtree).ListAsync(r => r.GetInt64(0), ct);
        var now = db.NowMs;
        foreach (var noteId in notes)
        {
            await writer.PurgeAsync(c, tx, noteId, now, ct);
        }

        await c.Sql("DELETE FROM folders WHERE id = ANY (@ids)", tx).With("ids", subtree).ExecAsync(ct);
        return notes.Count + subtree.Length;
    }, ct);

    public async Task<long?> EnsurePathAsync(UserId user, IReadOnlyList<string> names, CancellationToken ct)
    {
        if (names.Count == 0)
        {
            return null;
        }

        foreach (var name in names)
        {
            ValidName(name);
        }

        return await db.WriteAsync(async (c, tx) =>
        {
            long? parent = null;
            foreach (var name in names)
            {
                parent = await FindLiveAsync(c, tx, user, parent, name, ct)
                    ?? await c.Sql("INSERT INTO folders (user_id, parent_id, name, created_at, updated_at) VALUES (@u, @p, @n, @t, @t) RETURNING id", tx)
                        .With("u", user.Value).With("p", parent).With("n", name).With("t", db.NowMs).ScalarAsync<long>(ct);
            }

            return parent;
        }, ct);
    }

    public Task<IReadOnlyDictionary<long, string>> GetPathsAsync(UserId user, CancellationToken ct) =>
        db.ReadAsync(c => PostgresFolderPaths.LoadAsync(c, null, user.Value, ct), ct);

    private static string ValidName(string? name)
    {
        var problem = NoteNames.ValidateFolderName(name);
        return problem is null ? name! : throw NeptuneException.Invalid("name", problem);
    }

    private static async Task<Folder> GetAsync(NpgsqlConnection c, NpgsqlTransaction? tx, UserId user, long id, CancellationToken ct) =>
        await c.Sql($"SELECT {Columns} FROM folders WHERE id = @id AND user_id = @u", tx).With("id", id).With("u", user.Value).FirstOrDefaultAsync(Map, ct)
        ?? throw NeptuneException.NotFound("Folder", id);

    private static async Task<Folder> GetLiveAsync(NpgsqlConnection c, NpgsqlTransaction tx, UserId user, long id, CancellationToken ct)
    {
        var folder = await GetAsync(c, tx, user, id, ct);
        return folder.DeletedAt is null ? folder : throw new NeptuneException(ErrorKind.Conflict, $"Folder {id} is in the trash: restore it first.");
    }

    private static Task<long?> FindLiveAsync(NpgsqlConnection c, NpgsqlTransaction tx, UserId user, long? parentId, string name, CancellationToken ct) =>
        c.Sql("SELECT id FROM folders WHERE user_id = @u AND coalesce(parent_id, 0) = coalesce(@p, 0) AND name = @n AND deleted_at IS NULL", tx)
            .With("u", user.Value).With("p", parentId).With("n", name).ScalarAsync<long?>(ct);

    private static async Task RequireFreeNameAsync(NpgsqlConnection c, NpgsqlTransaction tx, UserId user, long? parentId, string name, long? except, CancellationToken ct)
    {
        var taken = await FindLiveAsync(c, tx, user, parentId, name, ct);
        if (taken is not null && taken != except)
        {
            throw new NeptuneException(ErrorKind.Conflict, $"A folder named '{name}' already exists here (id {taken}): choose another name.", "name");
        }
    }

    private static async Task<long[]> SubtreeAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, bool live, CancellationToken ct) =>
        [.. await c.Sql($"""
            WITH RECURSIVE sub(id) AS (
                SELECT @id::bigint
                UNION
                SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id {(live ? "WHERE f.deleted_at IS NULL" : "")}
            )
            SELECT id FROM sub
            """, tx).With("id", id).ListAsync(r => r.GetInt64(0), ct)];

    /// <summary>Checks that a folder a caller wants to put something into exists and is not in the trash; <paramref name="field"/> names the input.</summary>
    internal static async Task RequireLiveFolderAsync(NpgsqlConnection c, NpgsqlTransaction tx, UserId user, long? folderId, string field, CancellationToken ct)
    {
        if (folderId is not { } id)
        {
            return;
        }

        var deleted = await c.Sql("SELECT deleted_at IS NOT NULL FROM folders WHERE id = @id AND user_id = @u", tx).With("id", id).With("u", user.Value).ScalarAsync<bool?>(ct);
        if (deleted is null)
        {
            throw NeptuneException.Invalid(field, $"Folder {id} does not exist.");
        }

        if (deleted == true)
        {
            throw NeptuneException.Invalid(field, $"Folder {id} is in the trash: restore it or choose another folder.");
        }
    }

    internal static Folder Map(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetNullableInt64(1), r.GetString(2), r.GetTime(3), r.GetTime(4), r.GetNullableTime(5));
}

internal static class PostgresFolderPaths
{
    public static async Task<IReadOnlyDictionary<long, string>> LoadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, long owner, CancellationToken ct)
    {
        var rows = await c.Sql("""
            WITH RECURSIVE paths(id, path) AS (
                SELECT id, name FROM folders WHERE user_id = @u AND parent_id IS NULL AND deleted_at IS NULL
                UNION ALL
                SELECT f.id, paths.path || '/' || f.name FROM folders f JOIN paths ON f.parent_id = paths.id WHERE f.deleted_at IS NULL
            )
            SELECT id, path FROM paths
            """, tx).With("u", owner).ListAsync(r => (r.GetInt64(0), r.GetString(1)), ct);
        return rows.ToDictionary(x => x.Item1, x => x.Item2);
    }
}
