using System.Text.Json;
using Neptune.Llm.Ollama;
using Neptune.Llm.Topics;

namespace Neptune.Llm.Tests.Ollama;

public sealed class OllamaTopicExtractorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly TopicInput SshNote = new(
        "Copying keys to a server",
        "Use ssh-copy-id user@host to install your public key, then ssh -p 2222 user@host logs in without a password.");

    [Fact]
    public async Task The_model_gives_one_to_three_short_topics_without_the_fallback()
    {
        await using var ollama = await OllamaHarness.TargetAsync();
        var fallback = new FakeTopicExtractor();
        var extractor = ollama.Topics(fallback);

        var topics = await extractor.ExtractAsync(SshNote, Token);

        Assert.Equal(0, fallback.Calls);
        Assert.InRange(topics.Count, 1, 3);
        Assert.All(topics, t => Assert.InRange(t.Label.Split(' ').Length, 1, 4));
        Assert.Equal(1.0, topics[0].Weight);
        Assert.Equal("ollama:" + ollama.Options.ChatModel, extractor.Name);
    }

    [Fact]
    public async Task Topics_are_normalised_deduplicated_and_weighted_by_order()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.EnqueueReplies("""{"topics":["SSH","Shell scripts","shell script"]}""");

        var topics = await ollama.Topics(new FakeTopicExtractor()).ExtractAsync(SshNote, Token);

        Assert.Equal([new ExtractedTopic("SSH", 1.0), new ExtractedTopic("shell scripts", 0.8)], topics);
    }

    [Fact]
    public async Task The_request_holds_the_schema_temperature_0_keep_alive_and_the_note()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("KeepAlive", "30m"));

        await ollama.Topics(new FakeTopicExtractor()).ExtractAsync(SshNote, Token);

        var body = ollama.RequestsTo("/api/chat").Single().Body!;
        Assert.False((bool?)body["stream"]);
        Assert.Equal(0, (double?)body["options"]!["temperature"]);
        Assert.Equal("30m", (string?)body["keep_alive"]);
        Assert.Equal("llama3.2", (string?)body["model"]);
        Assert.Equal(3, (int?)body["format"]!["properties"]!["topics"]!["maxItems"]);
        Assert.Equal("system", (string?)body["messages"]![0]!["role"]);
        Assert.Contains("ssh-copy-id", (string?)body["messages"]![1]!["content"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_answer_is_shown_back_to_the_model_once_and_a_good_second_answer_is_used()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.EnqueueReplies("Sure! The topics are ssh and networking.", """{"topics":["ssh","networking"]}""");
        var fallback = new FakeTopicExtractor();

        var topics = await ollama.Topics(fallback).ExtractAsync(SshNote, Token);

        Assert.Equal(["ssh", "networking"], topics.Select(t => t.Label));
        Assert.Equal(0, fallback.Calls);
        var retry = ollama.RequestsTo("/api/chat")[1].Body!["messages"]!.AsArray();
        Assert.Equal("assistant", (string?)retry[2]!["role"]);
        Assert.Contains("not JSON", (string?)retry[3]!["content"], StringComparison.Ordinal);
        Assert.Contains("MalformedResponse/topics", ollama.Errors);
    }

    [Fact]
    public async Task Two_unusable_answers_fall_back_to_the_embedded_extractor()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.EnqueueReplies("""{"topics":[]}""", """{"topics":["how to log in to a remote server without a password"]}""");
        var fallback = new FakeTopicExtractor();

        var topics = await ollama.Topics(fallback).ExtractAsync(SshNote, Token);

        Assert.Equal(1, fallback.Calls);
        Assert.Equal("fallback topic", topics.Single().Label);
        Assert.Equal(2, ollama.RequestsTo("/api/chat").Count);
    }

    [Fact]
    public async Task An_unreachable_Ollama_falls_back_to_the_embedded_extractor()
    {
        await using var ollama = OllamaHarness.Unreachable(("MaxRetries", "0"));
        var fallback = new FakeTopicExtractor();

        var topics = await ollama.Topics(fallback).ExtractAsync(SshNote, Token);

        Assert.Equal(1, fallback.Calls);
        Assert.Equal("fallback topic", topics.Single().Label);
    }

    [Fact]
    public async Task A_long_note_is_cut_at_a_word_boundary_before_it_is_sent()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("TopicInputMaxChars", "200"));
        var note = new TopicInput("Long", string.Join(' ', Enumerable.Repeat("kubernetes", 100)));

        await ollama.Topics(new FakeTopicExtractor()).ExtractAsync(note, Token);

        var sent = (string)ollama.RequestsTo("/api/chat").Single().Body!["messages"]![1]!["content"]!;
        Assert.EndsWith("kubernetes\n[…]", sent, StringComparison.Ordinal);
        Assert.True(sent.Length < 230, $"{sent.Length} characters sent");
    }

    [Theory]
    [InlineData("""{"topics":["networking","ssh","linux","unix"]}""", "4 topics")]
    [InlineData("""{"topics":["a very long topic of many words"]}""", "more than 4 words")]
    [InlineData("""{"topics":["  ", "ssh"]}""", "empty")]
    [InlineData("""{"topics":[42]}""", "not a string")]
    [InlineData("""{"labels":["ssh"]}""", "no \"topics\"")]
    public void Answers_that_break_the_rules_are_rejected_with_the_reason(string answer, string reason)
    {
        var (topics, problem) = OllamaTopicExtractor.Check(JsonElement.Parse(answer));

        Assert.Null(topics);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_chat_model_the_extractor_cannot_be_made_and_says_which_key_to_set()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync(("ChatModel", null));

        var error = Assert.Throws<InvalidOperationException>(() => ollama.Topics(new FakeTopicExtractor()));

        Assert.Contains("Neptune:Llm:Ollama:ChatModel", error.Message, StringComparison.Ordinal);
    }
}
