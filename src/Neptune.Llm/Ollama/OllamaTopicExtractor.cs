using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Core.Topics;
using Neptune.Llm.Topics;

namespace Neptune.Llm.Ollama;

/// <summary>
/// 1–3 topics per note from Ollama's chat model (<see cref="OllamaOptions.ChatModel"/>), held to a JSON schema and
/// checked; when Ollama fails or answers unusably twice, the <paramref name="fallback"/> extractor (the embedded one)
/// answers instead, so a note always gets topics.
/// </summary>
public sealed class OllamaTopicExtractor(
    OllamaClient client,
    IOptions<OllamaOptions> options,
    ITopicExtractor fallback,
    LlmMetrics metrics,
    ILogger<OllamaTopicExtractor> logger) : ITopicExtractor
{
    public const int MaxTopics = 3;
    public const int MaxWords = 4;

    private static readonly double[] Weights = [1.0, 0.8, 0.6];

    private static readonly JsonElement Schema = JsonElement.Parse("""
        {"type":"object","properties":{"topics":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":3}},"required":["topics"]}
        """);

    private const string Instructions = """
        You file notes from a personal knowledge base under topics, so that related notes end up together.
        Give 1 to 3 topics for the note, the most central first. Each topic is 1 to 3 words: a general subject
        that many notes could share, such as "networking" or "ssh" rather than "the -p flag of ssh", or "cooking"
        rather than "grandmother's apple pie". Use plain nouns in the note's language; no sentences, no hashtags.
        Answer only with JSON of the form {"topics": ["first topic", "second topic"]}.
        """;

    private readonly OllamaOptions _options = options.Value;
    private readonly OllamaStructuredChat _chat = new(client, options.Value, metrics, logger);

    public string Name { get; } = "ollama:" + (options.Value.ChatModel
        ?? throw new InvalidOperationException($"{OllamaOptions.Key(nameof(OllamaOptions.ChatModel))} is not set: without a chat model there is no Ollama topic extraction."));

    public async Task<IReadOnlyList<ExtractedTopic>> ExtractAsync(TopicInput note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(note);
        var started = Stopwatch.GetTimestamp();
        StructuredAnswer<IReadOnlyList<ExtractedTopic>> answer;
        try
        {
            answer = await _chat.AskAsync("topics", Instructions, Prompt(note, _options.TopicInputMaxChars), Schema, 256, Check, cancellationToken);
        }
        catch (LlmException e)
        {
            return await FallbackAsync(note, e.Message, cancellationToken);
        }

        if (answer.Value is null)
        {
            return await FallbackAsync(note, $"the model's answer was unusable {OllamaStructuredChat.Attempts} times ({answer.Problem})", cancellationToken);
        }

        metrics.TopicsExtracted(Name, Stopwatch.GetElapsedTime(started));
        return answer.Value;
    }

    private async Task<IReadOnlyList<ExtractedTopic>> FallbackAsync(TopicInput note, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("Topics of \"{Title}\" come from {Fallback} instead of {Extractor}: {Reason}", note.Title, fallback.Name, Name, reason);
        return await fallback.ExtractAsync(note, cancellationToken);
    }

    /// <summary>The title and the start of the body, cut at a paragraph or word boundary when the note is long.</summary>
    internal static string Prompt(TopicInput note, int maxChars)
    {
        var content = note.Content.Trim();
        if (content.Length > maxChars)
        {
            var paragraph = content.LastIndexOf("\n\n", maxChars, StringComparison.Ordinal);
            var word = content.LastIndexOfAny([' ', '\n', '\t'], maxChars);
            var cut = paragraph >= maxChars * 2 / 3 ? paragraph : word >= maxChars / 2 ? word : maxChars;
            if (char.IsHighSurrogate(content[cut - 1]))
            {
                cut--;
            }

            content = content[..cut].TrimEnd() + "\n[…]";
        }

        return $"Title: {note.Title.Trim()}\n\n{content}";
    }

    /// <summary>1–3 labels, each non-empty once normalised, at most 4 words and 60 characters; duplicates (same key) dropped.</summary>
    internal static (IReadOnlyList<ExtractedTopic>? Value, string? Problem) Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Array)
        {
            return (null, "it has no \"topics\" array");
        }

        var count = topics.GetArrayLength();
        if (count is < 1 or > MaxTopics)
        {
            return (null, $"it has {count} topics, not 1 to {MaxTopics}");
        }

        var labels = new List<string>(count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in topics.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return (null, "a topic is not a string");
            }

            var raw = item.GetString()!.Trim();
            var label = TopicLabel.Normalize(raw);
            if (label.Length == 0)
            {
                return (null, "a topic is empty");
            }

            if (raw.Length > TopicLabel.MaxLength)
            {
                return (null, $"the topic \"{label}\" is longer than {TopicLabel.MaxLength} characters");
            }

            if (label.Split(' ').Length > MaxWords)
            {
                return (null, $"the topic \"{label}\" has more than {MaxWords} words");
            }

            if (keys.Add(TopicLabel.Key(label)))
            {
                labels.Add(label);
            }
        }

        return ([.. labels.Select((label, i) => new ExtractedTopic(label, Weights[i]))], null);
    }
}
