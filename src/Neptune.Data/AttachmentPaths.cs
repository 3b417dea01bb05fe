namespace Neptune.Data;

/// <summary>Relative attachment paths: '/'-separated, never absolute, never climbing out of the attachments folder.</summary>
public static class AttachmentPaths
{
    /// <summary>Normalises a relative path; null when it is empty, absolute or escapes its root.</summary>
    public static string? Normalize(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        path = path.Replace('\\', '/');
        if (path.StartsWith('/') || (path.Length > 1 && path[1] == ':'))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            if (part.Any(char.IsControl))
            {
                return null;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// <summary>The target as seen from a note in <paramref name="folderPath"/>.</summary>
    public static string? Combine(string folderPath, string target) =>
        Normalize(folderPath.Length == 0 ? target : folderPath + "/" + target);

    public static string FileKey(string path) =>
        path.Replace('\\', '/').Split('/')[^1].Trim().ToLowerInvariant();
}
