using System.Text.Json;
using System.Text.RegularExpressions;
using Neptune.Core;

namespace Neptune.Host.Evaluation;

/// <summary>A corpus document: its id, and its line as read (the importer reads the line itself).</summary>
public sealed record CorpusDocument(string Id, string Line);

/// <summary>A known-item query and the ids of the documents that answer it.</summary>
public sealed record EvalQuery(string Id, string Text, IReadOnlySet<string> Relevant);

/// <summary>A document and the documents related to it (for the man pages: those its SEE ALSO names).</summary>
public sealed record RelatedDocuments(string Id, IReadOnlySet<string> Related);

/// <summary>
/// Reads the evaluation's JSONL files strictly: unlike `neptune import`, which skips a bad line and goes on, a line that
/// is not what the format says stops the evaluation before anything slow starts, naming the file and the line.
/// </summary>
public static partial class EvalFiles
{
    /// <summary>Lines of <c>{"id", "title"?, "text"}</c>; ids are unique.</summary>
    public static IReadOnlyList<CorpusDocument> ReadCorpus(string path, string option = "--corpus")
    {
        var documents = new List<CorpusDocument>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (lineNo, root, line) in Read(path, option))
        {
            var id = RequiredString(root, "id", path, lineNo, option);
            RequiredString(root, "text", path, lineNo, option, allowEmpty: true);
            OptionalString(root, "title", path, lineNo, option);
            if (!firstLine.TryAdd(id, lineNo))
            {
                throw Problem(option, path, lineNo, $"id '{id}' is already the id of line {firstLine[id]}");
            }

            documents.Add(new CorpusDocument(id, line));
        }

        return documents;
    }

    /// <summary>Lines of <c>{"id"?, "query", "relevant": [id…]}</c>.</summary>
    public static IReadOnlyList<EvalQuery> ReadQueries(string path, string option = "--queries") =>
        [.. Read(path, option).Select(l => new EvalQuery(
            OptionalString(l.Root, "id", path, l.LineNo, option) ?? $"line {l.LineNo}",
            RequiredString(l.Root, "query", path, l.LineNo, option),
            Ids(l.Root, "relevant", path, l.LineNo, option)))];

    /// <summary>Lines of <c>{"id", "related": [id…]}</c>.</summary>
    public static IReadOnlyList<RelatedDocuments> ReadRelated(string path, string option = "--related") =>
        [.. Read(path, option).Select(l => new RelatedDocuments(
            RequiredString(l.Root, "id", path, l.LineNo, option),
            Ids(l.Root, "related", path, l.LineNo, option)))];

    private static IEnumerable<(int LineNo, JsonElement Root, string Line)> Read(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw NeptuneException.Invalid(option, $"{option}: '{path}' does not exist{(Directory.Exists(path) ? " as a file (it is a folder)" : "")}.");
        }

        var lineNo = 0;
        var any = false;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw Problem(option, path, lineNo, $"not valid JSON ({ReaderPosition().Replace(e.Message, "").TrimEnd('.', ' ')})");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Problem(option, path, lineNo, $"a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            any = true;
            yield return (lineNo, root, line);
        }

        if (!any)
        {
            throw NeptuneException.Invalid(option, $"{option}: '{path}' has no JSON lines.");
        }
    }

    private static string RequiredString(JsonElement root, string name, string path, int lineNo, string option, bool allowEmpty = false) =>
        OptionalString(root, name, path, lineNo, option) is { } value && (allowEmpty || !string.IsNullOrWhiteSpace(value))
            ? value
            : throw Problem(option, path, lineNo, $"the string field '{name}' is missing{(allowEmpty ? "" : " or empty")}");

    private static string? OptionalString(JsonElement root, string name, string path, int lineNo, string option) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Problem(option, path, lineNo, $"'{name}' is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a string");

    private static HashSet<string> Ids(JsonElement root, string name, string path, int lineNo, string option)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString())))
        {
            throw Problem(option, path, lineNo, $"'{name}' must be a non-empty array of document ids (strings)");
        }

        return value.EnumerateArray().Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private static NeptuneException Problem(string option, string path, int lineNo, string problem) =>
        NeptuneException.Invalid(option, $"{path} line {lineNo}: {problem}.");

    [GeneratedRegex(@"\s*(Path: \S+ \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex ReaderPosition();
}
