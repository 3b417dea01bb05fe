using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Neptune.Llm.Ollama;

/// <summary>A checked answer, or why the model's answers failed the check.</summary>
internal sealed record StructuredAnswer<T>(T? Value, string? Problem)
    where T : class;

/// <summary>
/// A deterministic chat call (temperature 0) whose answer must match a JSON schema (Ollama's <c>format</c>) and pass a
/// check. An answer that fails the check is shown back to the model with what was wrong, once. An
/// <see cref="LlmException"/> is not retried here: the HTTP pipeline has already retried what a retry can fix.
/// </summary>
internal sealed class OllamaStructuredChat(OllamaClient client, OllamaOptions options, LlmMetrics metrics, ILogger logger)
{
    public const int Attempts = 2;

    public async Task<StructuredAnswer<T>> AskAsync<T>(
        string operation,
        string system,
        string user,
        JsonElement schema,
        int maxAnswerTokens,
        Func<JsonElement, (T? Value, string? Problem)> check,
        CancellationToken cancellationToken)
        where T : class
    {
        var model = options.ChatModel ?? throw new InvalidOperationException($"{OllamaOptions.Key(nameof(OllamaOptions.ChatModel))} is not set.");
        List<OllamaChatMessage> messages = [OllamaChatMessage.System(system), OllamaChatMessage.User(user)];
        string? problem = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var answer = await client.ChatAsync(
                new OllamaChatRequest(model, messages)
                {
                    Format = schema,
                    Options = new OllamaModelParameters { Temperature = 0, NumPredict = maxAnswerTokens },
                    KeepAlive = options.KeepAlive,
                },
                cancellationToken);
            var content = answer.Message?.Content ?? "";
            (var value, problem) = Check(content, check);
            if (value is not null)
            {
                return new StructuredAnswer<T>(value, null);
            }

            metrics.Failed(OllamaFailures.Provider, LlmErrorKind.MalformedResponse, operation);
            logger.LogInformation(
                "Ollama model {Model} gave an unusable {Operation} answer (attempt {Attempt} of {Attempts}): {Problem}",
                model, operation, attempt, Attempts, problem);
            messages.Add(OllamaChatMessage.Assistant(content));
            messages.Add(OllamaChatMessage.User($"That answer is not usable: {problem}. Answer again, following the instructions exactly."));
        }

        return new StructuredAnswer<T>(null, problem);
    }

    private static (T? Value, string Problem) Check<T>(string content, Func<JsonElement, (T? Value, string? Problem)> check)
        where T : class
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(content);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            var start = content.Length <= 80 ? content : content[..80] + "…";
            return (null, $"it is not JSON (it starts \"{start}\")");
        }

        var (value, problem) = check(root);
        return (value, problem ?? "it does not pass the check");
    }
}
