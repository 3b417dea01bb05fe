using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Neptune.Llm.Ollama;

// Ollama's HTTP API as documented in ollama/ollama docs/api.md; field names are snake_case on the wire.

/// <summary>POST /api/embed.</summary>
public sealed record OllamaEmbedRequest(string Model, IReadOnlyList<string> Input)
{
    public bool? Truncate { get; init; }

    /// <summary>Ask for shorter vectors (models trained for it, e.g. Matryoshka).</summary>
    public int? Dimensions { get; init; }

    [JsonConverter(typeof(KeepAliveConverter))]
    public string? KeepAlive { get; init; }
}

public sealed record OllamaEmbedResponse(
    string? Model, IReadOnlyList<float[]>? Embeddings, long? TotalDuration, long? LoadDuration, long? PromptEvalCount);

public sealed record OllamaChatMessage(string Role, string Content)
{
    public static OllamaChatMessage System(string content) => new("system", content);

    public static OllamaChatMessage User(string content) => new("user", content);

    public static OllamaChatMessage Assistant(string content) => new("assistant", content);
}

/// <summary>Model parameters (a Modelfile's PARAMETERs) for one call.</summary>
public sealed record OllamaModelParameters
{
    public double? Temperature { get; init; }

    public int? Seed { get; init; }

    public int? NumCtx { get; init; }

    public int? NumPredict { get; init; }
}

/// <summary>POST /api/chat. <see cref="Format"/> is the string "json" or a JSON schema the answer must match.</summary>
public sealed record OllamaChatRequest(string Model, IReadOnlyList<OllamaChatMessage> Messages)
{
    /// <summary>The <see cref="Format"/> that asks for any well-formed JSON object (Ollama's JSON mode).</summary>
    public static JsonElement JsonMode { get; } = JsonElement.Parse("\"json\"");

    /// <summary>Set by <see cref="OllamaClient"/>: false for <c>ChatAsync</c>, true for <c>ChatStreamAsync</c>.</summary>
    public bool Stream { get; init; }

    public JsonElement? Format { get; init; }

    public OllamaModelParameters? Options { get; init; }

    [JsonConverter(typeof(KeepAliveConverter))]
    public string? KeepAlive { get; init; }
}

/// <summary>One chat answer, or one NDJSON line of a streamed one (the last has <see cref="Done"/> and the counts).</summary>
public sealed record OllamaChatResponse(
    string? Model,
    string? CreatedAt,
    OllamaChatMessage? Message,
    bool Done,
    string? DoneReason,
    long? TotalDuration,
    long? PromptEvalCount,
    long? EvalCount,
    string? Error);

public sealed record OllamaModelDetails(
    string? ParentModel, string? Format, string? Family, IReadOnlyList<string>? Families, string? ParameterSize, string? QuantizationLevel);

/// <summary>One model of GET /api/tags.</summary>
public sealed record OllamaModel(string Name, string? Model, string? ModifiedAt, long Size, string Digest, OllamaModelDetails? Details);

public sealed record OllamaModelList(IReadOnlyList<OllamaModel>? Models);

public sealed record OllamaShowRequest(string Model);

/// <summary>POST /api/show; <see cref="ModelInfo"/> holds GGUF metadata such as "llama.embedding_length".</summary>
public sealed record OllamaShowResponse(
    string? Parameters,
    string? Template,
    OllamaModelDetails? Details,
    IReadOnlyDictionary<string, JsonElement>? ModelInfo,
    IReadOnlyList<string>? Capabilities);

public sealed record OllamaVersion(string? Version);

public sealed record OllamaError(string? Error);

/// <summary>What the model registry records about a model: its exact build (digest) and vector size.</summary>
public sealed record OllamaModelInfo(
    string Name, string Digest, long Size, int? EmbeddingDimensions, int? ContextLength, IReadOnlyList<string> Capabilities);

/// <summary>keep_alive is a Go duration string ("5m") or a number of seconds; a bare integer is sent as a number.</summary>
internal sealed class KeepAliveConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetInt64().ToString(CultureInfo.InvariantCulture) : reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            writer.WriteNumberValue(seconds);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaEmbedRequest))]
[JsonSerializable(typeof(OllamaEmbedResponse))]
[JsonSerializable(typeof(OllamaChatRequest))]
[JsonSerializable(typeof(OllamaChatResponse))]
[JsonSerializable(typeof(OllamaModelList))]
[JsonSerializable(typeof(OllamaShowRequest))]
[JsonSerializable(typeof(OllamaShowResponse))]
[JsonSerializable(typeof(OllamaVersion))]
[JsonSerializable(typeof(OllamaError))]
internal sealed partial class OllamaJson : JsonSerializerContext;
