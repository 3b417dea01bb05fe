using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Neptune.Indexer;

/// <summary>
/// The indexer's instruments (meter "Neptune.Indexer"), on <c>/metrics</c>: notes by outcome, chunks and tokens embedded
/// (rate() gives throughput) and the time per batch.
/// </summary>
public sealed class IndexerMetrics
{
    public const string MeterName = "Neptune.Indexer";

    private readonly Counter<long> _notes;
    private readonly Counter<long> _chunks;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _batchDuration;

    public IndexerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _notes = meter.CreateCounter<long>("neptune.indexer.notes", "{note}", "Notes handled, by outcome (indexed, removed, skipped, failed, dead, waiting).");
        _chunks = meter.CreateCounter<long>("neptune.indexer.chunks", "{chunk}", "Chunks embedded and stored.");
        _tokens = meter.CreateCounter<long>("neptune.indexer.tokens", "{token}", "Tokens embedded for chunks.");
        _batchDuration = meter.CreateHistogram<double>(
            "neptune.indexer.batch.duration", "s", "Time to handle one leased batch of jobs.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
    }

    public void Notes(string outcome, int count = 1)
    {
        if (count > 0)
        {
            _notes.Add(count, new TagList { { "outcome", outcome } });
        }
    }

    public void Embedded(int chunks, long tokens)
    {
        _chunks.Add(chunks);
        _tokens.Add(tokens);
    }

    public void Batch(TimeSpan elapsed) => _batchDuration.Record(elapsed.TotalSeconds);
}
