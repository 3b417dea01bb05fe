using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Neptune.Llm.Ollama;

/// <summary>Checks <see cref="OllamaOptions"/> at start; every failure names the full configuration key and what is allowed.</summary>
public sealed partial class OllamaOptionsValidator : IValidateOptions<OllamaOptions>
{
    // CancellationTokenSource and SocketsHttpHandler take at most int.MaxValue milliseconds.
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    // Polly's circuit breaker accepts sampling and break durations from 0.5 s to one day.
    private static readonly TimeSpan ShortestCircuitDuration = TimeSpan.FromMilliseconds(500);

    public ValidateOptionsResult Validate(string? name, OllamaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        void Check(bool valid, string option, string rule)
        {
            if (!valid)
            {
                failures.Add($"{OllamaOptions.Key(option)} {rule}");
            }
        }

        var url = options.BaseUrl;
        Check(!options.IsConfigured || (url!.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)),
            nameof(OllamaOptions.BaseUrl), $"must be an absolute http:// or https:// URL such as http://127.0.0.1:11434 (got \"{url}\")");
        Check(!string.IsNullOrWhiteSpace(options.EmbeddingModel), nameof(OllamaOptions.EmbeddingModel), "must name an Ollama model, e.g. nomic-embed-text");
        Check(options.ChatModel is null || !string.IsNullOrWhiteSpace(options.ChatModel), nameof(OllamaOptions.ChatModel),
            "must name an Ollama model (e.g. llama3.2) or be left out");
        Check(options.KeepAlive is not null && KeepAlivePattern().IsMatch(options.KeepAlive), nameof(OllamaOptions.KeepAlive),
            $"must be a duration such as 5m, 1h30m, 0 (unload at once) or -1 (keep loaded) (got \"{options.KeepAlive}\")");
        Check(options.EmbedBatchSize >= 1, nameof(OllamaOptions.EmbedBatchSize), "must be at least 1");
        Check(options.RelationBatchSize >= 1, nameof(OllamaOptions.RelationBatchSize), "must be at least 1");
        Check(options.TopicInputMaxChars >= 100, nameof(OllamaOptions.TopicInputMaxChars), "must be at least 100");
        CheckTimeout(options.EmbedTimeout, nameof(OllamaOptions.EmbedTimeout));
        CheckTimeout(options.ChatTimeout, nameof(OllamaOptions.ChatTimeout));
        CheckTimeout(options.MetadataTimeout, nameof(OllamaOptions.MetadataTimeout));
        CheckTimeout(options.ConnectTimeout, nameof(OllamaOptions.ConnectTimeout));
        Check(options.MaxRetries >= 0, nameof(OllamaOptions.MaxRetries), "must be 0 (no retries) or more");
        Check(options.RetryDelay >= TimeSpan.Zero && options.RetryDelay <= TimeSpan.FromDays(1), nameof(OllamaOptions.RetryDelay),
            "must be between 00:00:00 and 1.00:00:00");
        Check(options.MaxConcurrency >= 1, nameof(OllamaOptions.MaxConcurrency), "must be at least 1");
        Check(options.CircuitFailureRatio > 0 && options.CircuitFailureRatio <= 1, nameof(OllamaOptions.CircuitFailureRatio),
            "must be above 0 and at most 1 (the share of failed attempts that pauses calls)");
        Check(options.CircuitMinimumThroughput >= 2, nameof(OllamaOptions.CircuitMinimumThroughput), "must be at least 2");
        CheckCircuitDuration(options.CircuitSamplingDuration, nameof(OllamaOptions.CircuitSamplingDuration));
        CheckCircuitDuration(options.CircuitBreakDuration, nameof(OllamaOptions.CircuitBreakDuration));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void CheckTimeout(TimeSpan value, string option) =>
            Check(value > TimeSpan.Zero && value <= LongestTimeout, option, $"must be positive and at most {LongestTimeout} (got {value})");

        void CheckCircuitDuration(TimeSpan value, string option) =>
            Check(value >= ShortestCircuitDuration && value <= TimeSpan.FromDays(1), option, $"must be between 00:00:00.5 and 1.00:00:00 (got {value})");
    }

    // Ollama reads a string keep_alive with Go's time.ParseDuration, and a bare integer as seconds.
    [GeneratedRegex(@"^(-?\d+|[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$")]
    private static partial Regex KeepAlivePattern();
}
