using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Neptune.Llm;

/// <summary>
/// The llm role's instruments (meter "Neptune.Llm"), exported on <c>/metrics</c>: embedding latency per provider, model
/// and batch size, tokens embedded (rate() gives tokens/s) and the throughput of each call, errors by kind, and topic
/// extraction latency.
/// </summary>
public sealed class LlmMetrics
{
    public const string MeterName = "Neptune.Llm";

    private readonly Histogram<double> _embeddingDuration;
    private readonly Counter<long> _embeddingTokens;
    private readonly Histogram<double> _embeddingThroughput;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _yielded;
    private readonly Histogram<double> _topicDuration;
    private readonly Histogram<double> _relationDuration;

    public LlmMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _embeddingDuration = meter.CreateHistogram<double>(
            "neptune.llm.embedding.duration", "s", "Time to embed one call's inputs.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _embeddingTokens = meter.CreateCounter<long>("neptune.llm.embedding.tokens", "{token}", "Tokens embedded.");
        _embeddingThroughput = meter.CreateHistogram<double>(
            "neptune.llm.embedding.throughput", "{token}/s", "Tokens per second of one embedding call.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000] });
        _errors = meter.CreateCounter<long>("neptune.llm.errors", "{error}", "Failed model calls by kind.");
        _yielded = meter.CreateCounter<long>("neptune.llm.embedding.yielded", "{run}", "Bulk embedding runs stopped to let a query through (run again after it).");
        _topicDuration = meter.CreateHistogram<double>(
            "neptune.llm.topics.duration", "s", "Time to extract the topics of one note.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _relationDuration = meter.CreateHistogram<double>(
            "neptune.llm.relations.duration", "s", "Time to score one batch of topic pairs.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60] });
    }

    public void EmbeddingYielded(string provider, string model) =>
        _yielded.Add(1, new TagList { { "provider", provider }, { "model", model } });

    public void EmbeddingCompleted(string provider, string model, int batchSize, long tokens, TimeSpan elapsed)
    {
        var tags = new TagList { { "provider", provider }, { "model", model }, { "batch_size", BatchBucket(batchSize) } };
        _embeddingDuration.Record(elapsed.TotalSeconds, tags);
        if (tokens > 0)
        {
            _embeddingTokens.Add(tokens, new TagList { { "provider", provider }, { "model", model } });
            if (elapsed > TimeSpan.Zero)
            {
                _embeddingThroughput.Record(tokens / elapsed.TotalSeconds, new TagList { { "provider", provider }, { "model", model } });
            }
        }
    }

    public void Failed(string provider, LlmErrorKind kind, string operation) =>
        _errors.Add(1, new TagList { { "provider", provider }, { "kind", kind.ToString() }, { "operation", operation } });

    public void TopicsExtracted(string extractor, TimeSpan elapsed) =>
        _topicDuration.Record(elapsed.TotalSeconds, new TagList { { "extractor", extractor } });

    public void RelationsScored(string scorer, TimeSpan elapsed) =>
        _relationDuration.Record(elapsed.TotalSeconds, new TagList { { "scorer", scorer } });

    /// <summary>Batch sizes as a few buckets, so the label's cardinality stays small.</summary>
    private static string BatchBucket(int size) => size switch
    {
        <= 1 => "1",
        <= 8 => "2-8",
        <= 32 => "9-32",
        <= 128 => "33-128",
        _ => "129+",
    };
}
