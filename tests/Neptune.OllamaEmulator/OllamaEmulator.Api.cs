using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Neptune.OllamaEmulator;

// The endpoints, following ollama/ollama docs/api.md: field names, status codes and {"error": "..."} bodies.
public sealed partial class OllamaEmulator
{
    private void Map(WebApplication app)
    {
        app.Use(Intercept);
        app.MapPost("/api/embed", Embed);
        app.MapPost("/api/chat", Chat);
        app.MapGet("/api/tags", Tags);
        app.MapPost("/api/show", Show);
        app.MapGet("/api/version", context => WriteJson(context, new JsonObject { ["version"] = Version }));
        // Ollama's router answers unknown paths as Go's net/http does.
        app.MapFallback(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("404 page not found", context.RequestAborted);
        });
    }

    private static JsonObject? Body(HttpContext context) => context.Items[nameof(RecordedRequest.Body)] as JsonObject;

    /// <summary>The request's model, or null once an error has been written (400 without a name, 404 for an unknown one).</summary>
    private async Task<(string Name, EmulatedModel Model)?> RequireModel(HttpContext context, JsonObject? body)
    {
        var name = (string?)body?["model"] ?? (string?)body?["name"];
        if (string.IsNullOrWhiteSpace(name))
        {
            await WriteError(context, StatusCodes.Status400BadRequest, "model is required");
            return null;
        }

        if (FindModel(name) is not { } model)
        {
            var error = context.Request.Path == "/api/show" ? $"model '{name}' not found" : $"model \"{name}\" not found, try pulling it first";
            await WriteError(context, StatusCodes.Status404NotFound, error);
            return null;
        }

        return (name, model);
    }

    private async Task Embed(HttpContext context)
    {
        var body = Body(context);
        if (await RequireModel(context, body) is not { } found)
        {
            return;
        }

        var (name, model) = found;

        if (!model.Embeds)
        {
            await WriteError(context, StatusCodes.Status400BadRequest, $"\"{name}\" does not support embeddings");
            return;
        }

        List<string> inputs;
        switch (body!["input"])
        {
            case JsonValue single when single.TryGetValue<string>(out var text):
                inputs = [text];
                break;
            case JsonArray many when many.All(i => i is JsonValue v && v.TryGetValue<string>(out _)):
                inputs = [.. many.Select(i => (string)i!)];
                break;
            case null:
                inputs = [];
                break;
            default:
                await WriteError(context, StatusCodes.Status400BadRequest, "invalid input type");
                return;
        }

        var truncate = (bool?)body["truncate"] ?? true;
        var dimensions = (int?)body["dimensions"] ?? model.EmbeddingLength;
        var embeddings = new JsonArray();
        var tokenCount = 0;
        foreach (var input in inputs)
        {
            var tokens = EmulatedEmbeddings.Tokenize(input);
            if (tokens.Count > model.ContextLength)
            {
                if (!truncate)
                {
                    await WriteError(context, StatusCodes.Status400BadRequest, "the input length exceeds the context length");
                    return;
                }

                tokens = [.. tokens.Take(model.ContextLength)];
            }

            tokenCount += tokens.Count;
            var vector = EmulatedEmbeddings.Embed(tokens, model.EmbeddingLength);
            embeddings.Add(new JsonArray([.. Normalised(vector, Math.Min(dimensions, vector.Length)).Select(v => JsonValue.Create(v))]));
        }

        await WriteJson(context, new JsonObject
        {
            ["model"] = name,
            ["embeddings"] = embeddings,
            ["total_duration"] = 14_143_917,
            ["load_duration"] = 1_019_500,
            ["prompt_eval_count"] = tokenCount,
        });
    }

    private static float[] Normalised(float[] vector, int dimensions)
    {
        if (dimensions == vector.Length)
        {
            return vector;
        }

        var cut = vector[..dimensions];
        var norm = MathF.Sqrt(cut.Sum(v => v * v));
        return norm == 0 ? cut : [.. cut.Select(v => v / norm)];
    }

    private async Task Chat(HttpContext context)
    {
        var body = Body(context);
        if (await RequireModel(context, body) is not { } found)
        {
            return;
        }

        var (name, model) = found;

        if (model.Embeds)
        {
            await WriteError(context, StatusCodes.Status400BadRequest, $"\"{name}\" does not support chat");
            return;
        }

        var format = body!["format"];
        if (format is JsonValue value && !(value.TryGetValue<string>(out var text) && text == "json"))
        {
            await WriteError(context, StatusCodes.Status400BadRequest, "invalid format: expected \"json\" or a valid JSON schema");
            return;
        }

        var messages = (body["messages"] as JsonArray ?? [])
            .Select(m => new EmulatedMessage((string?)m?["role"] ?? "", (string?)m?["content"] ?? ""))
            .ToList();
        var stream = (bool?)body["stream"] ?? true;
        var chat = new EmulatedChat(name, messages, format?.DeepClone(), body["options"]?.DeepClone() as JsonObject, stream);
        var content = NextReply(chat);
        var promptTokens = messages.Sum(m => EmulatedEmbeddings.Tokenize(m.Content).Count);
        var final = new JsonObject
        {
            ["model"] = name,
            ["created_at"] = Now(),
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = stream ? "" : content },
            ["done_reason"] = "stop",
            ["done"] = true,
            ["total_duration"] = 2_254_970_291,
            ["load_duration"] = 574_751_416,
            ["prompt_eval_count"] = promptTokens,
            ["prompt_eval_duration"] = 1_502_000_000,
            ["eval_count"] = EmulatedEmbeddings.Tokenize(content).Count,
            ["eval_duration"] = 175_000_000,
        };
        if (!stream)
        {
            await WriteJson(context, final);
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        var midStreamError = _faults.GetValueOrDefault("/api/chat")?.MidStreamError;
        foreach (var piece in Pieces(content))
        {
            await WriteLine(context, new JsonObject
            {
                ["model"] = name,
                ["created_at"] = Now(),
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = piece },
                ["done"] = false,
            });
            if (midStreamError is not null)
            {
                await WriteLine(context, new JsonObject { ["error"] = midStreamError });
                return;
            }
        }

        await WriteLine(context, final);
    }

    private static async Task WriteLine(HttpContext context, JsonNode line)
    {
        await context.Response.WriteAsync(line.ToJsonString() + "\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>The answer in token-sized pieces, as a model streams it.</summary>
    private static IEnumerable<string> Pieces(string content)
    {
        for (var start = 0; start < content.Length; start += 4)
        {
            yield return content.Substring(start, Math.Min(4, content.Length - start));
        }
    }

    private Task Tags(HttpContext context) =>
        WriteJson(context, new JsonObject
        {
            ["models"] = new JsonArray([.. Models.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Name,
                ["model"] = m.Name,
                ["modified_at"] = "2025-10-26T17:21:21.196249123+02:00",
                ["size"] = m.Size,
                ["digest"] = m.Digest,
                ["details"] = Details(m),
            })]),
        });

    private async Task Show(HttpContext context)
    {
        if (await RequireModel(context, Body(context)) is not { } found)
        {
            return;
        }

        var model = found.Model;

        var family = model.Family;
        await WriteJson(context, new JsonObject
        {
            ["license"] = "emulated",
            ["modelfile"] = $"# Modelfile generated by the Ollama emulator\nFROM {model.Name}\n",
            ["parameters"] = model.Embeds ? "num_ctx                        2048" : "stop                           \"<|eot_id|>\"",
            ["template"] = "{{ .Prompt }}",
            ["details"] = Details(model),
            ["model_info"] = new JsonObject
            {
                ["general.architecture"] = family,
                ["general.file_type"] = 15,
                ["general.parameter_count"] = model.Size / 2,
                [$"{family}.attention.head_count"] = 12,
                [$"{family}.block_count"] = 12,
                [$"{family}.context_length"] = model.ContextLength,
                [$"{family}.embedding_length"] = model.EmbeddingLength,
                ["tokenizer.ggml.model"] = "bert",
            },
            ["capabilities"] = new JsonArray(model.Embeds ? "embedding" : "completion"),
            ["modified_at"] = "2025-10-26T17:21:21.196249123+02:00",
        });
    }

    private static JsonObject Details(EmulatedModel model) => new()
    {
        ["parent_model"] = "",
        ["format"] = "gguf",
        ["family"] = model.Family,
        ["families"] = new JsonArray(model.Family),
        ["parameter_size"] = (model.Size / 500_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + "B",
        ["quantization_level"] = model.Embeds ? "F16" : "Q4_K_M",
    };

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
