using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Neptune.Llm.Relations;

namespace Neptune.Llm.Ollama;

/// <summary>
/// Scores topic pairs with Ollama's chat model, <see cref="OllamaOptions.RelationBatchSize"/> pairs per call, held to
/// a JSON schema of one score in [0, 1] per pair. A batch that Ollama fails, or answers unusably twice, is scored by
/// the <paramref name="fallback"/> scorer (embedding similarity) instead.
/// </summary>
public sealed class OllamaRelationScorer(
    OllamaClient client,
    IOptions<OllamaOptions> options,
    IRelationScorer fallback,
    LlmMetrics metrics,
    ILogger<OllamaRelationScorer> logger) : IRelationScorer
{
    private const string Instructions = """
        You rate how closely related two topics of a personal knowledge base are, for each numbered pair.
        1 means the same idea; 0.8 one is a kind or a part of the other (docker, containers); 0.5 neighbouring
        subjects (networking, ssh); 0.2 a loose link (cooking, chemistry); 0 unrelated (gardening, tcp).
        Answer only with JSON of the form {"scores": [0.5, 0.1]}: one number from 0 to 1 per pair, in the order given.
        """;

    private readonly OllamaOptions _options = options.Value;
    private readonly OllamaStructuredChat _chat = new(client, options.Value, metrics, logger);

    /// <summary>Provenance of LLM scores: "llm:&lt;model&gt;".</summary>
    public string Source { get; } = "llm:" + (options.Value.ChatModel
        ?? throw new InvalidOperationException($"{OllamaOptions.Key(nameof(OllamaOptions.ChatModel))} is not set: without a chat model there is no Ollama relation scoring."));

    public async Task<IReadOnlyList<TopicRelation>> ScoreAsync(IReadOnlyList<TopicPair> pairs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var relations = new List<TopicRelation>(pairs.Count);
        for (var start = 0; start < pairs.Count; start += _options.RelationBatchSize)
        {
            var batch = pairs.Skip(start).Take(_options.RelationBatchSize).ToArray();
            relations.AddRange(await ScoreBatchAsync(batch, cancellationToken));
        }

        return relations;
    }

    private async Task<IReadOnlyList<TopicRelation>> ScoreBatchAsync(TopicPair[] batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        StructuredAnswer<double[]> answer;
        try
        {
            // About eight tokens per score, plus the braces.
            answer = await _chat.AskAsync(
                "relations", Instructions, Prompt(batch), Schema(batch.Length), 32 + (8 * batch.Length),
                root => Check(root, batch.Length), cancellationToken);
        }
        catch (LlmException e)
        {
            return await FallbackAsync(batch, e.Message, cancellationToken);
        }

        if (answer.Value is null)
        {
            return await FallbackAsync(batch, $"the model's answer was unusable {OllamaStructuredChat.Attempts} times ({answer.Problem})", cancellationToken);
        }

        metrics.RelationsScored(Source, Stopwatch.GetElapsedTime(started));
        return [.. batch.Select((pair, i) => new TopicRelation(pair.A, pair.B, answer.Value[i], Source))];
    }

    private async Task<IReadOnlyList<TopicRelation>> FallbackAsync(TopicPair[] batch, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("{Count} topic pairs are scored by the fallback scorer instead of {Source}: {Reason}", batch.Length, Source, reason);
        return await fallback.ScoreAsync(batch, cancellationToken);
    }

    internal static JsonElement Schema(int count)
    {
        var items = count.ToString(CultureInfo.InvariantCulture);
        return JsonElement.Parse(
            """{"type":"object","properties":{"scores":{"type":"array","items":{"type":"number","minimum":0,"maximum":1},"minItems":"""
            + items + ""","maxItems":""" + items + """}},"required":["scores"]}""");
    }

    internal static string Prompt(IReadOnlyList<TopicPair> pairs)
    {
        var text = new StringBuilder($"Rate these {pairs.Count} pairs:\n");
        for (var i = 0; i < pairs.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {pairs[i].A} | {pairs[i].B}\n");
        }

        return text.ToString();
    }

    /// <summary>Exactly one finite score in [0, 1] per pair.</summary>
    internal static (double[]? Value, string? Problem) Check(JsonElement root, int count)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("scores", out var scores) || scores.ValueKind != JsonValueKind.Array)
        {
            return (null, "it has no \"scores\" array");
        }

        if (scores.GetArrayLength() != count)
        {
            return (null, $"it has {scores.GetArrayLength()} scores for {count} pairs");
        }

        var values = new double[count];
        var i = 0;
        foreach (var score in scores.EnumerateArray())
        {
            if (score.ValueKind != JsonValueKind.Number || !score.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                return (null, $"score {i + 1} is not a number");
            }

            if (value is < 0 or > 1)
            {
                return (null, $"score {i + 1} is {value.ToString(CultureInfo.InvariantCulture)}, outside 0 to 1");
            }

            values[i++] = value;
        }

        return (values, null);
    }
}
