using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Neptune.Core.Markdown;

/// <summary>The properties Neptune reads from a note's YAML front matter; tags are raw (not yet normalised).</summary>
internal sealed record FrontMatter(string? Title, IReadOnlyList<string> Tags, IReadOnlyList<string> Aliases)
{
    public static readonly FrontMatter None = new(null, [], []);

    // YamlDotNet needs seconds for thousands of nested [ or {; real front matter nests a few levels at most.
    private const int MaxFlowNesting = 64;

    private static readonly char[] TagSeparators = [',', ' ', '\t', '\r', '\n'];

    /// <summary>Reads the YAML between the <c>---</c> lines; YAML that is invalid or not a mapping counts as no front matter.</summary>
    public static FrontMatter Read(string yaml)
    {
        if (FlowNestingExceeds(yaml, MaxFlowNesting))
        {
            return None;
        }

        try
        {
            return ReadMapping(new Parser(new StringReader(yaml)));
        }
        catch (Exception)
        {
            // YamlDotNet throws more than YamlException on malformed input (e.g. InvalidOperationException); a note must still open.
            return None;
        }
    }

    // Reads parser events rather than loading a YamlStream: the representation model recurses per nesting level
    // and overflows the stack on deeply nested flow collections, which no catch can recover from.
    private static FrontMatter ReadMapping(Parser parser)
    {
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _) || !parser.TryConsume<MappingStart>(out _))
        {
            return None;
        }

        string? title = null;
        var tags = new List<string>();
        var aliases = new List<string>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.TryConsume<Scalar>(out var keyScalar) ? keyScalar.Value : SkipNode(parser);
            var (values, isList) = ReadScalars(parser);
            if (IsKey(key, "title"))
            {
                title ??= !isList && values.Count == 1 && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;
            }
            else if (IsKey(key, "tags") || IsKey(key, "tag"))
            {
                tags.AddRange(values.SelectMany(tag => tag.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries)));
            }
            else if (IsKey(key, "aliases") || IsKey(key, "alias"))
            {
                // A list keeps commas inside an alias; a single string is comma-separated.
                aliases.AddRange(isList ? values : values.SelectMany(alias => alias.Split(',')));
            }
        }

        return new FrontMatter(title, tags, aliases);
    }

    /// <summary>The non-null values of a scalar or of a list's scalar items; nested structures are skipped.</summary>
    private static (List<string> Values, bool IsList) ReadScalars(Parser parser)
    {
        var values = new List<string>();
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            AddValue(values, scalar);
            return (values, false);
        }

        if (!parser.TryConsume<SequenceStart>(out _))
        {
            SkipNode(parser);
            return (values, false);
        }

        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            if (parser.TryConsume<Scalar>(out var item))
            {
                AddValue(values, item);
            }
            else
            {
                SkipNode(parser);
            }
        }

        return (values, true);
    }

    private static void AddValue(List<string> values, Scalar scalar)
    {
        // YAML's unquoted null spellings arrive as text at the event level.
        var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
        if (!isNull)
        {
            values.Add(scalar.Value);
        }
    }

    private static string? SkipNode(Parser parser)
    {
        parser.SkipThisAndNestedEvents();
        return null;
    }

    /// <summary>A quote-blind count of open brackets and braces, cheap enough to run before every parse.</summary>
    private static bool FlowNestingExceeds(string yaml, int limit)
    {
        var depth = 0;
        foreach (var c in yaml)
        {
            if ((c is '[' or '{') && ++depth > limit)
            {
                return true;
            }

            if ((c is ']' or '}') && depth > 0)
            {
                depth--;
            }
        }

        return false;
    }

    private static bool IsKey(string? key, string name) => string.Equals(key, name, StringComparison.OrdinalIgnoreCase);
}
