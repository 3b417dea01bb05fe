namespace Neptune.Data.Sqlite;

/// <summary>"tag" matches the tag itself and its nested tags ("tag/sub"), for listings and search alike.</summary>
internal static class TagFilter
{
    public const string Sql = " AND EXISTS (SELECT 1 FROM note_tags t WHERE t.note_id = n.id AND (t.tag = $tag OR substr(t.tag, 1, length($tag) + 1) = $tag || '/'))";

    public static string Normalize(string tag) => tag.Trim().TrimStart('#').ToLowerInvariant();
}
