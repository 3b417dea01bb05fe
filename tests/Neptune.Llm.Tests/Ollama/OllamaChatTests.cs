using System.Text;
using Neptune.Llm.Ollama;

namespace Neptune.Llm.Tests.Ollama;

public sealed class OllamaChatTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static OllamaChatRequest Ask(OllamaHarness ollama, string question) =>
        new(ollama.Options.ChatModel!, [OllamaChatMessage.User(question)]) { Options = new OllamaModelParameters { Temperature = 0, NumPredict = 32 } };

    [Fact]
    public async Task A_chat_answers_in_one_body_and_as_a_stream()
    {
        await using var ollama = await OllamaHarness.TargetAsync();

        var whole = await ollama.Client.ChatAsync(Ask(ollama, "Say hello in one word."), Token);
        var chunks = new List<OllamaChatResponse>();
        await foreach (var chunk in ollama.Client.ChatStreamAsync(Ask(ollama, "Say hello in one word."), Token))
        {
            chunks.Add(chunk);
        }

        Assert.True(whole.Done);
        Assert.False(string.IsNullOrWhiteSpace(whole.Message!.Content));
        Assert.True(chunks[^1].Done);
        Assert.All(chunks[..^1], c => Assert.False(c.Done));
        Assert.False(string.IsNullOrWhiteSpace(string.Concat(chunks.Select(c => c.Message?.Content))));
    }

    [Fact]
    public async Task A_streamed_chat_is_read_line_by_line_until_done()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.EnqueueReplies("streaming answers arrive in pieces");

        var text = new StringBuilder();
        var lines = 0;
        OllamaChatResponse? last = null;
        await foreach (var chunk in ollama.Client.ChatStreamAsync(Ask(ollama, "stream please"), Token))
        {
            lines++;
            text.Append(chunk.Message?.Content);
            last = chunk;
        }

        Assert.Equal("streaming answers arrive in pieces", text.ToString());
        Assert.True(lines > 2);
        Assert.True(last!.Done);
        Assert.Equal("stop", last.DoneReason);
        Assert.Equal(5, last.EvalCount);
        Assert.True((bool?)ollama.RequestsTo("/api/chat").Single().Body!["stream"]);
    }

    [Fact]
    public async Task An_error_in_the_middle_of_a_stream_fails_as_ServerError_with_Ollamas_text()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.FailMidStream("an error was encountered while running the model");

        var error = await Assert.ThrowsAsync<LlmException>(async () =>
        {
            await foreach (var _ in ollama.Client.ChatStreamAsync(Ask(ollama, "stream please"), Token))
            {
            }
        });

        Assert.Equal(LlmErrorKind.ServerError, error.Kind);
        Assert.Contains("an error was encountered while running the model", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServerError/chat", ollama.Errors);
    }

    [Fact]
    public async Task A_stream_that_ends_without_done_fails_as_MalformedResponse()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();
        ollama.Emulator.RespondNext("/api/chat", """{"model":"llama3.2","message":{"role":"assistant","content":"cut"},"done":false}""");

        var error = await Assert.ThrowsAsync<LlmException>(async () =>
        {
            await foreach (var _ in ollama.Client.ChatStreamAsync(Ask(ollama, "stream please"), Token))
            {
            }
        });

        Assert.Equal(LlmErrorKind.MalformedResponse, error.Kind);
    }

    [Fact]
    public async Task A_plain_chat_is_sent_with_stream_false()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();

        await ollama.Client.ChatAsync(Ask(ollama, "hi"), Token);

        var body = ollama.RequestsTo("/api/chat").Single().Body!;
        Assert.False((bool?)body["stream"]);
        Assert.Equal(0, (double?)body["options"]!["temperature"]);
        Assert.Equal("user", (string?)body["messages"]![0]!["role"]);
    }

    [Fact]
    public async Task Json_mode_sends_format_json_and_gets_a_json_object()
    {
        await using var ollama = await OllamaHarness.EmulatedAsync();

        var answer = await ollama.Client.ChatAsync(Ask(ollama, "Reply in JSON.") with { Format = OllamaChatRequest.JsonMode }, Token);

        Assert.Equal("json", (string?)ollama.RequestsTo("/api/chat").Single().Body!["format"]);
        Assert.StartsWith("{", answer.Message!.Content, StringComparison.Ordinal);
    }
}
