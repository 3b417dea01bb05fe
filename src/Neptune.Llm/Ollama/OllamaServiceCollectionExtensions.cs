using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Neptune.Llm.Ollama;

public static class OllamaServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="OllamaOptions"/> ("Neptune:Llm:Ollama", checked at start) and registers the typed
    /// <see cref="OllamaClient"/> behind its resilience pipeline, plus <see cref="LlmMetrics"/> if not yet registered.
    /// </summary>
    public static IServiceCollection AddOllama(this IServiceCollection services)
    {
        services.AddOptions<OllamaOptions>().BindConfiguration(OllamaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OllamaOptions>, OllamaOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<LlmMetrics>();

        var client = services.AddHttpClient<OllamaClient>((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
                http.BaseAddress = options.IsConfigured ? ApiBase(options.BaseUrl!) : null;
                // Timeouts are per kind of call and per attempt, in the pipeline; HttpClient's single one would cut them all short.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectTimeout = provider.GetRequiredService<IOptions<OllamaOptions>>().Value.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        client.AddResilienceHandler("ollama", (pipeline, context) =>
            AddOllamaStrategies(pipeline, context.ServiceProvider.GetRequiredService<IOptions<OllamaOptions>>().Value));
        // Added after the resilience handler, so it runs inside it: once per attempt.
        client.AddHttpMessageHandler(() => new OllamaResponseBuffer());
        return services;
    }

    /// <summary>Outermost first: concurrency limit, retry, circuit breaker, per-attempt timeout.</summary>
    private static void AddOllamaStrategies(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, OllamaOptions options)
    {
        // Outside the retry, so a call keeps its slot through its retries and a queued call is not charged a timeout.
        pipeline.AddConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
        });

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(
                args.Context.GetRequestMessage()?.Options.TryGetValue(OllamaCall.OptionKey, out var call) == true
                    ? options.TimeoutFor(call.Kind)
                    : options.MetadataTimeout),
        });
    }

    /// <summary>5xx, 408, 429, connection failures and attempt timeouts; never 400 or 404, which a retry cannot fix.</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        // SocketsHttpHandler reports its ConnectTimeout as a cancellation wrapping a TimeoutException.
        { Exception: OperationCanceledException { InnerException: TimeoutException } } => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The base with a trailing slash, so that "api/embed" resolves below a path such as http://host/ollama/.</summary>
    private static Uri ApiBase(Uri baseUrl) =>
        !baseUrl.IsAbsoluteUri || baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
