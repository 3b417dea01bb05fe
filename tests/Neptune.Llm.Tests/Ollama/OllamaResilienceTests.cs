using Neptune.Llm.Ollama;

namespace Neptune.Llm.Tests.Ollama;

/// <summary>Timeouts by kind of call, retries of transient failures only, the circuit breaker and the concurrency limit.</summary>
public sealed class OllamaResilienceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static OllamaEmbedRequest Embed() => new("nomic-embed-text", ["a note"]);

    [Fact]
    public async Task A_slow_embed_fails_as_Timeout_naming_EmbedTimeout_and_its_value()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("EmbedTimeout", "00:00:00.200"), ("MaxRetries", "1"));
        ollama.Emulator.Delay("/api/embed", TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));

        Assert.Equal(LlmErrorKind.Timeout, error.Kind);
        Assert.Contains("Neptune:Llm:Ollama:EmbedTimeout = 00:00:00.2", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await ollama.RequestsToAsync("/api/embed", 2)).Count);  // the attempt timeout is retried
        Assert.Contains("Timeout/embed", ollama.Errors);
    }

    [Fact]
    public async Task Each_kind_of_call_gets_its_own_timeout()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(
            ("MetadataTimeout", "00:00:00.150"), ("EmbedTimeout", "00:00:10"), ("MaxRetries", "0"));
        ollama.Emulator.Delay("/api/embed", TimeSpan.FromMilliseconds(400));
        ollama.Emulator.Delay("/api/tags", TimeSpan.FromMilliseconds(400));

        var embedded = await ollama.Client.EmbedAsync(Embed(), Token);
        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.ListModelsAsync(Token));

        Assert.Single(embedded.Embeddings!);
        Assert.Equal(LlmErrorKind.Timeout, error.Kind);
        Assert.Contains("Neptune:Llm:Ollama:MetadataTimeout = 00:00:00.15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_chat_fails_as_Timeout_naming_ChatTimeout()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("ChatTimeout", "00:00:00.150"), ("MaxRetries", "0"));
        ollama.Emulator.Delay("/api/chat", TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            ollama.Client.ChatAsync(new OllamaChatRequest("llama3.2", [OllamaChatMessage.User("hi")]), Token));

        Assert.Equal(LlmErrorKind.Timeout, error.Kind);
        Assert.Contains("Neptune:Llm:Ollama:ChatTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_is_retried_then_reported_with_Ollamas_error_text()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("MaxRetries", "2"));
        ollama.Emulator.FailNext("/api/embed", 10, status: 500, error: "llama runner process has terminated: signal: killed");

        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));

        Assert.Equal(LlmErrorKind.ServerError, error.Kind);
        Assert.Contains("llama runner process has terminated", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, ollama.RequestsTo("/api/embed").Count);
    }

    [Fact]
    public async Task One_server_error_is_retried_and_the_call_succeeds()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("MaxRetries", "3"));
        ollama.Emulator.FailNext("/api/embed", 1, status: 503);

        var response = await ollama.Client.EmbedAsync(Embed(), Token);

        Assert.Single(response.Embeddings!);
        Assert.Equal(2, ollama.RequestsTo("/api/embed").Count);
        Assert.Empty(ollama.Errors);
    }

    [Fact]
    public async Task Too_many_requests_is_retried()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("MaxRetries", "3"));
        ollama.Emulator.FailNext("/api/chat", 2, status: 429, error: "server busy, please try again.  maximum pending requests exceeded");

        var answer = await ollama.Client.ChatAsync(new OllamaChatRequest("llama3.2", [OllamaChatMessage.User("hi")]), Token);

        Assert.False(string.IsNullOrEmpty(answer.Message!.Content));
        Assert.Equal(3, ollama.RequestsTo("/api/chat").Count);
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_and_later_calls_fail_fast_as_CircuitOpen()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(
            ("MaxRetries", "0"), ("CircuitMinimumThroughput", "2"), ("CircuitFailureRatio", "0.5"), ("CircuitBreakDuration", "00:00:30"));
        ollama.Emulator.FailNext("/api/embed", 100);

        var first = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));
        var second = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));
        var third = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));
        var otherEndpoint = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.GetVersionAsync(Token));

        Assert.Equal([LlmErrorKind.ServerError, LlmErrorKind.ServerError], [first.Kind, second.Kind]);
        Assert.Equal(LlmErrorKind.CircuitOpen, third.Kind);
        Assert.Equal(LlmErrorKind.CircuitOpen, otherEndpoint.Kind);
        Assert.Contains("Neptune:Llm:Ollama:CircuitBreakDuration", third.Message, StringComparison.Ordinal);
        Assert.Equal(2, ollama.RequestsTo("/api/embed").Count);
        Assert.Empty(ollama.RequestsTo("/api/version"));
    }

    [Fact]
    public async Task Not_found_answers_do_not_open_the_circuit()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("MaxRetries", "0"), ("CircuitMinimumThroughput", "2"));

        for (var i = 0; i < 4; i++)
        {
            var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(new OllamaEmbedRequest("missing", ["x"]), Token));
            Assert.Equal(LlmErrorKind.ModelNotFound, error.Kind);
        }

        Assert.NotNull(await ollama.Client.EmbedAsync(Embed(), Token));
    }

    [Fact]
    public async Task No_more_than_MaxConcurrency_requests_are_in_flight()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("MaxConcurrency", "2"));
        ollama.Emulator.Delay("/api/embed", TimeSpan.FromMilliseconds(150));

        var calls = Enumerable.Range(0, 8).Select(_ => ollama.Client.EmbedAsync(Embed(), Token));
        var responses = await Task.WhenAll(calls);

        Assert.Equal(8, responses.Length);
        Assert.Equal(8, ollama.RequestsTo("/api/embed").Count);
        Assert.Equal(2, ollama.Emulator.MaxInFlight);
    }
}
