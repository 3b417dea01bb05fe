using System.Numerics.Tensors;
using Neptune.Core;
using Neptune.Llm.Contract;

namespace Neptune.Llm.Tests.Contract;

/// <summary>The llm role's contract, version 1. The same tests run against the in-process binding and the HTTP client.</summary>
public abstract class LlmContractTests(ILlmService llm)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Embeddings_are_one_unit_vector_per_input_in_order_naming_the_model()
    {
        var response = await llm.EmbedAsync(new EmbeddingsRequest(["cut out fields of each line", "", "copy files over ssh"]), Ct);

        Assert.Equal("onnx/all-MiniLM-L6-v2-int8", response.Model);
        Assert.True(response.ModelId > 0);
        Assert.Equal(64, response.Digest.Length);
        Assert.Equal(384, response.Dimensions);
        Assert.Equal(3, response.Vectors.Count);
        Assert.All(response.Vectors, v => Assert.Equal(1.0, TensorPrimitives.Norm(v), 3));
        Assert.True(response.Tokens > 0);
        // In input order. (The int8 model quantises a run's activations together, so alone the vector moves a little.)
        var alone = await llm.EmbedAsync(new EmbeddingsRequest(["copy files over ssh"]), Ct);
        Assert.Equal(2, Enumerable.Range(0, 3).MaxBy(i => TensorPrimitives.CosineSimilarity(alone.Vectors[0], response.Vectors[i])));
        Assert.True(TensorPrimitives.CosineSimilarity(alone.Vectors[0], response.Vectors[2]) > 0.95f);
    }

    [Fact]
    public async Task Naming_the_active_model_gives_the_same_vectors_as_the_default()
    {
        var byDefault = await llm.EmbedAsync(new EmbeddingsRequest(["grep searches files for patterns"]), Ct);
        var named = await llm.EmbedAsync(new EmbeddingsRequest(["grep searches files for patterns"], "onnx/all-MiniLM-L6-v2-int8"), Ct);

        Assert.Equal(byDefault.Vectors[0], named.Vectors[0]);
        Assert.Equal(byDefault.ModelId, named.ModelId);
    }

    [Fact]
    public async Task Empty_inputs_are_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<NeptuneException>(() => llm.EmbedAsync(new EmbeddingsRequest([]), Ct));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Equal("inputs", error.Field);
    }

    [Fact]
    public async Task Too_many_inputs_are_refused_with_the_limit()
    {
        var inputs = Enumerable.Repeat("x", new LlmOptions().MaxInputsPerRequest + 1).ToArray();

        var error = await Assert.ThrowsAsync<NeptuneException>(() => llm.EmbedAsync(new EmbeddingsRequest(inputs), Ct));

        Assert.Equal(ErrorKind.TooLarge, error.Kind);
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unregistered_model_is_model_not_found_with_what_to_run()
    {
        var error = await Assert.ThrowsAsync<LlmException>(() => llm.EmbedAsync(new EmbeddingsRequest(["x"], "ollama/no-such-model"), Ct));

        Assert.Equal(LlmErrorKind.ModelNotFound, error.Kind);
        Assert.Contains("neptune models activate ollama/no-such-model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Topics_are_one_list_per_note_in_order_with_normalised_labels()
    {
        var pages = SharedDatasets.ManPages("cut.1", "udp.7");
        var request = new TopicsRequest([new("cut", pages["cut.1"].Text), new("udp", pages["udp.7"].Text)]);

        var response = await llm.ExtractTopicsAsync(request, Ct);

        Assert.Equal(2, response.Notes.Count);
        Assert.All(response.Notes, n => Assert.Equal("keyphrase:all-MiniLM-L6-v2-int8", n.Extractor));
        Assert.All(response.Notes, n => Assert.InRange(n.Topics.Count, 1, new Neptune.Llm.Topics.TopicOptions().MaxTopics));
        Assert.All(response.Notes.SelectMany(n => n.Topics), t => Assert.Equal(Neptune.Core.Topics.TopicLabel.Normalize(t.Label), t.Label));
        Assert.Contains(response.Notes[1].Topics, t => t.Label.Contains("udp", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Notes_come_back_with_their_chunks_vectors_and_topics_in_one_pass()
    {
        var pages = SharedDatasets.ManPages("cut.1", "udp.7");
        var chunks = new[] { Chunks("cut", pages["cut.1"].Text), Chunks("udp", pages["udp.7"].Text) };
        var request = new NotesRequest([new("cut", pages["cut.1"].Text, chunks[0]), new("udp", pages["udp.7"].Text, chunks[1]), new("", "", [])]);

        var response = await llm.IndexNotesAsync(request, Ct);

        Assert.Equal(("onnx/all-MiniLM-L6-v2-int8", 384), (response.Model, response.Dimensions));
        Assert.Equal([chunks[0].Count, chunks[1].Count, 0], response.Notes.Select(n => n.Vectors.Count));
        // The same vectors as embedding the same chunks without topics: topics ride along, they do not change the chunks' runs.
        var alone = await llm.EmbedAsync(new EmbeddingsRequest([.. chunks[0], .. chunks[1]]), Ct);
        for (var i = 0; i < chunks[1].Count; i++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(alone.Vectors[chunks[0].Count + i], response.Notes[1].Vectors[i]) > 0.9999f);
        }

        Assert.All(response.Notes.Take(2), n => Assert.Equal("keyphrase:all-MiniLM-L6-v2-int8", n.Topics.Extractor));
        Assert.All(response.Notes.Take(2), n => Assert.InRange(n.Topics.Topics.Count, 1, new Neptune.Llm.Topics.TopicOptions().MaxTopics));
        Assert.Contains(response.Notes[1].Topics.Topics, t => t.Label.Contains("udp", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(response.Notes[2].Topics.Topics);
        Assert.True(response.Tokens >= alone.Tokens);
    }

    [Fact]
    public async Task Bad_notes_requests_name_the_field()
    {
        var empty = await Assert.ThrowsAsync<NeptuneException>(() => llm.IndexNotesAsync(new NotesRequest([]), Ct));
        var nullChunk = await Assert.ThrowsAsync<NeptuneException>(() => llm.IndexNotesAsync(new NotesRequest([new("t", "c", ["a", null!])]), Ct));
        var tooMany = await Assert.ThrowsAsync<NeptuneException>(() =>
            llm.IndexNotesAsync(new NotesRequest([new("t", "c", [.. Enumerable.Repeat("x", new LlmOptions().MaxInputsPerRequest + 1)])]), Ct));

        Assert.Equal(("notes", ErrorKind.Invalid), (empty.Field, empty.Kind));
        Assert.Equal(("notes[0].chunks[1]", ErrorKind.Invalid), (nullChunk.Field, nullChunk.Kind));
        Assert.Equal(("notes", ErrorKind.TooLarge), (tooMany.Field, tooMany.Kind));
        Assert.Contains("at most", tooMany.Message, StringComparison.Ordinal);
    }

    /// <summary>Paragraph-sized pieces of a page, the title leading the first, as the indexer's chunks would be.</summary>
    private static List<string> Chunks(string title, string text)
    {
        var paragraphs = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. paragraphs.Chunk(3).Select((p, i) => (i == 0 ? title + "\n\n" : "") + string.Join("\n\n", p)).Take(6)];
    }

    [Fact]
    public async Task Relations_score_each_pair_in_order_within_zero_and_one()
    {
        var response = await llm.ScoreRelationsAsync(new RelationsRequest([new("networking", "tcp sockets"), new("networking", "tax law")]), Ct);

        Assert.Equal(2, response.Relations.Count);
        Assert.Equal("tcp sockets", response.Relations[0].B);
        Assert.All(response.Relations, r => Assert.InRange(r.Strength, 0, 1));
        Assert.True(response.Relations[0].Strength > response.Relations[1].Strength);
        Assert.StartsWith("embedding:", response.Relations[0].Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_topic_and_relation_requests_name_the_field()
    {
        var noNotes = await Assert.ThrowsAsync<NeptuneException>(() => llm.ExtractTopicsAsync(new TopicsRequest([]), Ct));
        var blankPair = await Assert.ThrowsAsync<NeptuneException>(() => llm.ScoreRelationsAsync(new RelationsRequest([new("git", " ")]), Ct));

        Assert.Equal("notes", noNotes.Field);
        Assert.Equal("pairs[0]", blankPair.Field);
    }

    [Fact]
    public async Task Models_lists_the_active_embedded_model_with_its_digest()
    {
        var models = (await llm.GetModelsAsync(Ct)).Models;

        var active = Assert.Single(models, m => m.Active);
        Assert.Equal("onnx/all-MiniLM-L6-v2-int8", active.Reference);
        Assert.Equal("active", active.Status);
        Assert.Equal(384, active.Dimensions);
        Assert.Matches("^[0-9a-f]{64}$", active.Digest);
    }
}

[Collection(LlmRoleCollection.Name)]
public sealed class InProcessLlmContractTests(LlmRoleFixture fixture) : LlmContractTests(fixture.InProcess);

[Collection(LlmRoleCollection.Name)]
public sealed class HttpLlmContractTests(LlmRoleFixture fixture) : LlmContractTests(fixture.OverHttp)
{
    [Fact]
    public async Task Without_the_service_token_the_llm_role_answers_401_and_a_wrong_one_too()
    {
        using var anonymous = fixture.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/llm/v1/models", TestContext.Current.CancellationToken)).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-service-token-0123456789abcdef");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/llm/v1/models", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync("/ready", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Vectors_cross_http_bit_identical()
    {
        var local = await fixture.InProcess.EmbedAsync(new EmbeddingsRequest(["tar archives and compresses files"]), CancellationToken.None);
        var remote = await fixture.OverHttp.EmbedAsync(new EmbeddingsRequest(["tar archives and compresses files"]), CancellationToken.None);

        Assert.Equal(local.Vectors[0], remote.Vectors[0]);
    }

    [Fact]
    public async Task Metrics_expose_embedding_latency_and_tokens()
    {
        await fixture.OverHttp.EmbedAsync(new EmbeddingsRequest(["ls lists directory contents"]), CancellationToken.None);

        var metrics = await fixture.CreateClient().GetStringAsync("/metrics");

        Assert.Contains("neptune_llm_embedding_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("provider=\"onnx\"", metrics, StringComparison.Ordinal);
        Assert.Contains("neptune_llm_embedding_tokens", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_reports_the_model_as_a_dependency()
    {
        var ready = await fixture.CreateClient().GetStringAsync("/ready");

        Assert.Contains("\"llm\"", ready, StringComparison.Ordinal);
        Assert.Contains("\"database\"", ready, StringComparison.Ordinal);
    }
}
