using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Neptune.Llm.Tests.Ollama;

public sealed class OllamaEmbeddingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Embeddings_come_back_one_per_input_with_equal_dimensions_and_the_model_id()
    {
        await using var ollama = await OllamaHarness.TargetAsync();
        using var generator = ollama.Embeddings();

        var embeddings = await generator.GenerateAsync(["ssh keys for remote login", "a chocolate cake", "tcp/ip networking"], cancellationToken: Token);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(embeddings[0].Vector.Length, e.Vector.Length));
        Assert.True(embeddings[0].Vector.Length >= 64);
        Assert.All(embeddings, e => Assert.StartsWith(ollama.Options.EmbeddingModel, e.ModelId, StringComparison.Ordinal));
        Assert.True(embeddings.Usage?.InputTokenCount > 0);
    }

    [Fact]
    public async Task Related_texts_get_closer_vectors_than_unrelated_ones()
    {
        await using var ollama = await OllamaHarness.TargetAsync();
        using var generator = ollama.Embeddings();

        var v = await generator.GenerateAsync(
            ["log in to a remote server with ssh keys", "ssh keys let you log in to a server", "bake a chocolate cake for a birthday"],
            cancellationToken: Token);

        var related = TensorPrimitives.CosineSimilarity(v[0].Vector.Span, v[1].Vector.Span);
        var unrelated = TensorPrimitives.CosineSimilarity(v[0].Vector.Span, v[2].Vector.Span);
        Assert.True(related > unrelated + 0.1f, $"related {related}, unrelated {unrelated}");
    }

    [Fact]
    public async Task Metadata_names_ollama_the_url_and_the_model_and_learns_the_dimensions()
    {
        await using var ollama = await OllamaHarness.TargetAsync();
        using var generator = ollama.Embeddings();

        var before = generator.GetService<EmbeddingGeneratorMetadata>()!;
        var vectors = await generator.GenerateAsync(["anything"], cancellationToken: Token);
        var after = generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal("ollama", before.ProviderName);
        Assert.Equal(ollama.Options.BaseUrl, before.ProviderUri);
        Assert.Equal(ollama.Options.EmbeddingModel, before.DefaultModelId);
        Assert.Null(before.DefaultModelDimensions);
        Assert.Equal(vectors[0].Vector.Length, after.DefaultModelDimensions);
    }

    [Fact]
    public async Task Model_info_has_the_digest_from_tags_and_the_dimensions_from_show()
    {
        await using var ollama = await OllamaHarness.TargetAsync();

        var info = await ollama.Client.GetModelInfoAsync(ollama.Options.EmbeddingModel, Token);
        using var generator = ollama.Embeddings();
        var vector = (await generator.GenerateAsync(["a note"], cancellationToken: Token))[0].Vector;

        Assert.Matches("^[0-9a-f]{64}$", info.Digest);
        Assert.Equal(vector.Length, info.EmbeddingDimensions);
        Assert.Contains("embedding", info.Capabilities);
        Assert.False(string.IsNullOrWhiteSpace(await ollama.Client.GetVersionAsync(Token)));
    }

    [Fact]
    public async Task Inputs_are_sent_in_batches_of_EmbedBatchSize_with_keep_alive_and_truncate()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("EmbedBatchSize", "3"), ("KeepAlive", "10m"), ("Truncate", "false"));
        using var generator = ollama.Embeddings();

        var embeddings = await generator.GenerateAsync([.. Enumerable.Range(1, 7).Select(i => $"note number {i}")], cancellationToken: Token);

        var requests = ollama.RequestsTo("/api/embed");
        Assert.Equal([3, 3, 1], requests.Select(r => r.Body!["input"]!.AsArray().Count));
        Assert.All(requests, r => Assert.Equal("10m", (string?)r.Body!["keep_alive"]));
        Assert.All(requests, r => Assert.False((bool?)r.Body!["truncate"]));
        Assert.All(requests, r => Assert.Equal("nomic-embed-text", (string?)r.Body!["model"]));
        Assert.Equal(7, embeddings.Count);
        Assert.Equal("note number 7", (string?)requests[2].Body!["input"]![0]);
    }

    [Fact]
    public async Task A_keep_alive_in_bare_seconds_is_sent_as_a_number()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("KeepAlive", "-1"));
        using var generator = ollama.Embeddings();

        await generator.GenerateAsync(["keep me loaded"], cancellationToken: Token);

        var keepAlive = ollama.RequestsTo("/api/embed").Single().Body!["keep_alive"]!;
        Assert.Equal(System.Text.Json.JsonValueKind.Number, keepAlive.GetValueKind());
        Assert.Equal(-1, (int)keepAlive);
    }

    [Fact]
    public async Task Tokens_that_Ollama_counted_become_the_usage_of_the_call()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("EmbedBatchSize", "1"));
        using var generator = ollama.Embeddings();

        var embeddings = await generator.GenerateAsync(["one two three", "four five"], cancellationToken: Token);

        Assert.Equal(5, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task A_vector_missing_for_an_input_fails_as_MalformedResponse()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.RespondNext("/api/embed", """{"model":"nomic-embed-text","embeddings":[[0.6,0.8]]}""");
        using var generator = ollama.Embeddings();

        var error = await Assert.ThrowsAsync<LlmException>(() => generator.GenerateAsync(["first", "second"], cancellationToken: Token));

        Assert.Equal(LlmErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("1 vectors for 2 inputs", error.Message, StringComparison.Ordinal);
        Assert.Contains("MalformedResponse/embed", ollama.Errors);
    }

    [Fact]
    public async Task Vectors_of_different_sizes_in_one_call_fail_as_MalformedResponse()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.RespondNext("/api/embed", """{"model":"nomic-embed-text","embeddings":[[0.6,0.8],[1,0,0]]}""");
        using var generator = ollama.Embeddings();

        var error = await Assert.ThrowsAsync<LlmException>(() => generator.GenerateAsync(["first", "second"], cancellationToken: Token));

        Assert.Equal(LlmErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("2 and of 3 dimensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_longer_than_the_context_are_cut_by_Ollama_when_truncate_is_on()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.AddModel(new OllamaEmulator.EmulatedModel("tiny-embed:latest", "bert", true, 32, 4, 1000));
        using var generator = ollama.Embeddings();

        var cut = await generator.GenerateAsync(["one two three four five six"], new EmbeddingGenerationOptions { ModelId = "tiny-embed" }, Token);

        Assert.Equal(4, cut.Usage?.InputTokenCount);
        Assert.True((bool?)ollama.RequestsTo("/api/embed").Single().Body!["truncate"]);
        Assert.IsType<JsonObject>(ollama.RequestsTo("/api/embed").Single().Body);
    }
}
