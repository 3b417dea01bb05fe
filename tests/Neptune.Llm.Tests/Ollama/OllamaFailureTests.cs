using Neptune.Llm.Ollama;

namespace Neptune.Llm.Tests.Ollama;

/// <summary>Each way a call can fail ends as one LlmException kind with a message that says what to do.</summary>
public sealed class OllamaFailureTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static OllamaEmbedRequest Embed(string model = "nomic-embed-text") => new(model, ["a note"]);

    [Fact]
    public async Task Unknown_model_error_says_which_ollama_pull_to_run()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("EmbeddingModel", "mxbai-embed-large"));
        using var generator = ollama.Embeddings();

        var error = await Assert.ThrowsAsync<LlmException>(() => generator.GenerateAsync(["a note"], cancellationToken: Token));

        Assert.Equal(LlmErrorKind.ModelNotFound, error.Kind);
        Assert.Equal("ollama", error.Provider);
        Assert.Contains("ollama pull mxbai-embed-large", error.Message, StringComparison.Ordinal);
        Assert.Single(ollama.RequestsTo("/api/embed"));  // a 404 is not retried
        Assert.Contains("ModelNotFound/embed", ollama.Errors);
    }

    [Fact]
    public async Task Unknown_chat_model_error_says_which_ollama_pull_to_run()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            ollama.Client.ChatAsync(new OllamaChatRequest("qwen3:8b", [OllamaChatMessage.User("hi")]), Token));

        Assert.Equal(LlmErrorKind.ModelNotFound, error.Kind);
        Assert.Contains("ollama pull qwen3:8b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_info_of_a_model_never_pulled_says_which_ollama_pull_to_run()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();

        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.GetModelInfoAsync("all-minilm", Token));

        Assert.Equal(LlmErrorKind.ModelNotFound, error.Kind);
        Assert.Contains("ollama pull all-minilm", error.Message, StringComparison.Ordinal);
        Assert.Contains("nomic-embed-text:latest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_request_is_not_retried_and_carries_Ollamas_error_text()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.FailNext("/api/embed", 5, status: 400, error: "invalid input type");

        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));

        Assert.Equal(LlmErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("invalid input type", error.Message, StringComparison.Ordinal);
        Assert.Single(ollama.RequestsTo("/api/embed"));
    }

    [Fact]
    public async Task Embedding_with_a_chat_model_says_to_configure_an_embedding_model()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("EmbeddingModel", "llama3.2"));
        using var generator = ollama.Embeddings();

        var error = await Assert.ThrowsAsync<LlmException>(() => generator.GenerateAsync(["a note"], cancellationToken: Token));

        Assert.Equal(LlmErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("Neptune:Llm:Ollama:EmbeddingModel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_cut_off_mid_json_fails_as_MalformedResponse()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.SendMalformedNext("/api/embed");

        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));

        Assert.Equal(LlmErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("/api/embed", error.Message, StringComparison.Ordinal);
        Assert.Contains("MalformedResponse/embed", ollama.Errors);
    }

    [Fact]
    public async Task A_base_url_that_is_not_Ollama_says_to_check_BaseUrl()
    {
        await using var elsewhere = await OllamaHarness.EmulatedAsync();
        await using var wrongPath = await OllamaHarness.EmulatedAsync(("BaseUrl", new Uri(elsewhere.Emulator.BaseUrl, "v1/").ToString()));

        var error = await Assert.ThrowsAsync<LlmException>(() => wrongPath.Client.GetVersionAsync(Token));

        Assert.Equal(LlmErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("404 page not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("Neptune:Llm:Ollama:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Without_a_base_url_calls_fail_saying_which_key_to_set(string? baseUrl)
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("BaseUrl", baseUrl));

        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.GetVersionAsync(Token));

        Assert.Equal(LlmErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("Neptune:Llm:Ollama:BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Empty(ollama.Emulator.Requests);
    }

    [Fact]
    public async Task Nothing_listening_fails_as_Unreachable_naming_the_url_and_the_BaseUrl_key()
    {
        await using var ollama = OllamaHarness.Unreachable(("MaxRetries", "1"));

        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.EmbedAsync(Embed(), Token));

        Assert.Equal(LlmErrorKind.Unreachable, error.Kind);
        Assert.Contains(ollama.Options.BaseUrl!.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("Neptune:Llm:Ollama:BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unreachable/embed", ollama.Errors);
    }

    [Fact]
    public async Task An_Ollama_that_stopped_after_answering_is_unreachable()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("MaxRetries", "1"));
        await ollama.Client.GetVersionAsync(Token);

        await ollama.Emulator.StopAsync();
        var error = await Assert.ThrowsAsync<LlmException>(() => ollama.Client.GetVersionAsync(Token));

        Assert.Equal(LlmErrorKind.Unreachable, error.Kind);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_reported_as_an_Ollama_failure()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.Delay("/api/embed", TimeSpan.FromSeconds(5));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ollama.Client.EmbedAsync(Embed(), cancel.Token));

        Assert.Empty(ollama.Errors);
    }
}
