using Neptune.Core.Chunking;

namespace Neptune.Indexer.Pipeline;

/// <summary>A chunk to embed: <see cref="Text"/> is what the model sees, <see cref="Start"/>..<see cref="End"/> its span in the note's content.</summary>
public sealed record NoteChunk(int Ordinal, string Text, int Start, int End, int Tokens);

/// <summary>
/// Chunks a note for all-MiniLM-L6-v2: at most 254 word pieces (+ [CLS]/[SEP] = the model's 256), 32 overlapping. The title
/// is prepended to the note before chunking, so it opens the first chunk, unless the content already opens with it as
/// an H1. A title says what the note is about and MiniLM's window is small; as its own chunk it would be one more
/// input per note and a tiny vector that outranks real passages on short queries, so it rides along with the first one.
/// </summary>
public sealed class NoteChunker(Func<string, int> countTokens)
{
    public const int MaxTokens = 254;
    public const int OverlapTokens = 32;

    private readonly Chunker _chunker = new(countTokens, MaxTokens, OverlapTokens);

    public IReadOnlyList<NoteChunk> Split(string title, string content)
    {
        var prefix = string.IsNullOrWhiteSpace(title) || OpensWithTitle(title, content) ? "" : title.Trim() + "\n\n";
        var chunks = _chunker.Split(prefix + content);
        return [.. chunks.Select(c => new NoteChunk(
            c.Ordinal, c.Text, Math.Max(0, c.Start - prefix.Length), Math.Max(0, c.End - prefix.Length), countTokens(c.Text)))];
    }

    /// <summary>Whether the first line after any front matter is "# {title}".</summary>
    public static bool OpensWithTitle(string title, string content)
    {
        var lines = content.Split('\n');
        var i = 0;
        if (lines.Length > 0 && lines[0].TrimEnd() == "---")
        {
            i = Array.FindIndex(lines, 1, l => l.TrimEnd() == "---") + 1;
            if (i == 0)
            {
                return false;
            }
        }

        for (; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length > 0)
            {
                return line.StartsWith("# ", StringComparison.Ordinal) && line[2..].Trim().Equals(title.Trim(), StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }
}
