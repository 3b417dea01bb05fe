using System.ComponentModel.DataAnnotations;

namespace Neptune.Data;

/// <summary>The indexer's job handling, bound from "Neptune:Indexer".</summary>
public sealed class IndexerOptions
{
    public const string Section = "Neptune:Indexer";

    /// <summary>Run the background worker in this process (roles all and indexer); off leaves jobs queued for another process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Notes leased and embedded together: larger batches pad less, smaller ones finish (and show up) sooner.</summary>
    [Range(1, 256, ErrorMessage = "Neptune:Indexer:BatchNotes must be between 1 and 256.")]
    public int BatchNotes { get; set; } = 16;

    /// <summary>
    /// Batches with the model at once; they are written one after another, in the order they were leased. A batch ends
    /// in short model runs (its topic phrases, its longest chunks) that leave cores idle, and between its model calls the
    /// worker reads, chunks and picks phrases; a second batch's runs fill those gaps. 1: one batch at a time.
    /// </summary>
    [Range(1, 8, ErrorMessage = "Neptune:Indexer:BatchesInFlight must be between 1 and 8.")]
    public int BatchesInFlight { get; set; } = 2;

    /// <summary>Attempts before a job is dead-lettered (the note shows as failed with the last error).</summary>
    [Range(1, 100, ErrorMessage = "Neptune:Indexer:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long a leased job is held before another worker may take it (a worker that died never completes it).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "Neptune:Indexer:LeaseDuration must be between 5 seconds and 1 day.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First retry delay; it doubles per attempt (with jitter) up to <see cref="BackoffMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Neptune:Indexer:BackoffBase must be between 0 and 1 day.")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Neptune:Indexer:BackoffMax must be between 0 and 7 days.")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often an idle worker looks for ready jobs (a read). Writes in this process, and jobs another process queues
    /// (NOTIFY on PostgreSQL, the write-ahead log's file events on SQLite), wake it at once; the poll finds jobs that come
    /// due after a backoff, and any a wake-up missed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Neptune:Indexer:PollInterval must be between 10 ms and 10 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
