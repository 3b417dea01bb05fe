namespace Neptune.Core.Chunking;

/// <summary>A piece of a note small enough to embed; <see cref="Start"/>..<see cref="End"/> is its span in the note.</summary>
public sealed record Chunk(int Ordinal, string Text, int Start, int End);

/// <summary>
/// Splits a note into chunks of at most <c>maxTokens</c> model tokens so that every part of a long note is embedded.
/// Cuts prefer headings, then blank lines (paragraphs), then sentence ends; fenced code is cut only between lines.
/// Consecutive chunks of one section share up to <c>overlapTokens</c> of text, so a thought cut in two is whole in one.
/// </summary>
public sealed class Chunker(Func<string, int> countTokens, int maxTokens = 254, int overlapTokens = 32)
{
    private readonly record struct Unit(int Start, int End, bool StartsSection, int Tokens);

    public IReadOnlyList<Chunk> Split(string text)
    {
        var units = new List<Unit>();
        foreach (var block in Blocks(text))
        {
            AddUnits(text, block.Start, block.End, block.StartsSection, block.IsCode, units);
        }

        var chunks = new List<Chunk>();
        var i = 0;
        while (i < units.Count)
        {
            var first = i;
            var tokens = units[i].Tokens;
            i++;
            while (i < units.Count && !units[i].StartsSection && tokens + units[i].Tokens <= maxTokens)
            {
                tokens += units[i].Tokens;
                i++;
            }

            var start = units[first].Start;
            var end = units[i - 1].End;
            chunks.Add(new Chunk(chunks.Count, text[start..end], start, end));

            // Step back over trailing units that fit in the overlap, unless the next chunk opens a new section.
            if (i < units.Count && !units[i].StartsSection)
            {
                var back = i;
                var carried = 0;
                while (back - 1 > first && carried + units[back - 1].Tokens <= overlapTokens)
                {
                    back--;
                    carried += units[back].Tokens;
                }

                i = back;
            }
        }

        return chunks;
    }

    /// <summary>Cuts a block into units that each fit: the whole block, else its lines (code) or sentences, else runs of words.</summary>
    private void AddUnits(string text, int start, int end, bool startsSection, bool isCode, List<Unit> units)
    {
        var tokens = countTokens(text[start..end]);
        if (tokens <= maxTokens)
        {
            units.Add(new Unit(start, end, startsSection, tokens));
            return;
        }

        var pieces = isCode ? Lines(text, start, end) : Sentences(text, start, end);
        if (pieces.Count <= 1)
        {
            pieces = Words(text, start, end);
        }

        foreach (var (s, e) in pieces)
        {
            var pieceTokens = countTokens(text[s..e]);
            if (pieceTokens <= maxTokens || e - s <= 1)
            {
                units.Add(new Unit(s, e, startsSection && s == start, Math.Min(pieceTokens, maxTokens)));
            }
            else
            {
                AddUnits(text, s, e, startsSection && s == start, false, units);
            }
        }
    }

    private readonly record struct Block(int Start, int End, bool StartsSection, bool IsCode);

    /// <summary>Paragraphs, headings and fenced code blocks, as spans of the text (blank lines left out).</summary>
    private static List<Block> Blocks(string text)
    {
        var blocks = new List<Block>();
        var pos = 0;
        var blockStart = -1;
        var section = false;
        var inFence = false;
        string? fence = null;
        while (pos < text.Length)
        {
            var lineEnd = text.IndexOf('\n', pos);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd + 1;
            var line = text.AsSpan(pos, lineEnd - pos).Trim();
            var trimmedStart = text.AsSpan(pos, lineEnd - pos).TrimStart();
            if (inFence)
            {
                if (trimmedStart.StartsWith(fence, StringComparison.Ordinal))
                {
                    inFence = false;
                    blocks.Add(new Block(blockStart, lineEnd, section, true));
                    blockStart = -1;
                    section = false;
                }
            }
            else if (trimmedStart.StartsWith("```", StringComparison.Ordinal) || trimmedStart.StartsWith("~~~", StringComparison.Ordinal))
            {
                if (blockStart >= 0)
                {
                    blocks.Add(new Block(blockStart, pos, section, false));
                    section = false;
                }

                fence = trimmedStart[..3].ToString();
                inFence = true;
                blockStart = pos;
            }
            else if (line.IsEmpty)
            {
                if (blockStart >= 0)
                {
                    blocks.Add(new Block(blockStart, pos, section, false));
                    blockStart = -1;
                    section = false;
                }
            }
            else if (line[0] == '#' && (line.Length == 1 || line.TrimStart('#').StartsWith(" ", StringComparison.Ordinal)))
            {
                if (blockStart >= 0)
                {
                    blocks.Add(new Block(blockStart, pos, section, false));
                }

                blockStart = pos;
                section = true;
            }
            else if (blockStart < 0)
            {
                blockStart = pos;
            }

            pos = lineEnd;
        }

        if (blockStart >= 0)
        {
            blocks.Add(new Block(blockStart, text.Length, section, inFence));
        }

        return blocks;
    }

    private static List<(int, int)> Lines(string text, int start, int end)
    {
        var pieces = new List<(int, int)>();
        var pos = start;
        while (pos < end)
        {
            var next = text.IndexOf('\n', pos, end - pos);
            next = next < 0 ? end : next + 1;
            pieces.Add((pos, next));
            pos = next;
        }

        return pieces;
    }

    private static List<(int, int)> Sentences(string text, int start, int end)
    {
        var pieces = new List<(int, int)>();
        var pos = start;
        for (var i = start; i < end - 1; i++)
        {
            if (text[i] is '.' or '!' or '?' or '\n' && char.IsWhiteSpace(text[i + 1]))
            {
                pieces.Add((pos, i + 1));
                pos = i + 1;
            }
        }

        if (pos < end)
        {
            pieces.Add((pos, end));
        }

        return pieces;
    }

    private List<(int, int)> Words(string text, int start, int end)
    {
        // Halve until each run fits: keeps the number of token counts logarithmic, not one per word.
        var pieces = new List<(int, int)>();
        var pos = start;
        while (pos < end)
        {
            var cut = end;
            while (cut - pos > 1 && countTokens(text[pos..cut]) > maxTokens)
            {
                var mid = pos + ((cut - pos) / 2);
                var space = text.LastIndexOf(' ', mid, mid - pos);
                cut = space > pos ? space : mid;
            }

            pieces.Add((pos, cut));
            pos = cut;
        }

        return pieces;
    }
}
