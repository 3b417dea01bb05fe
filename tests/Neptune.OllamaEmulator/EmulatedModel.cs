using System.Security.Cryptography;
using System.Text;

namespace Neptune.OllamaEmulator;

/// <summary>A model the emulator has "pulled": an embedding model or a chat model, with the metadata /api/show reports.</summary>
/// <param name="Revision">Bump it to emulate pulling a newer version of the same model name: the digest changes.</param>
public sealed record EmulatedModel(string Name, string Family, bool Embeds, int EmbeddingLength, int ContextLength, long Size, int Revision = 0)
{
    public static EmulatedModel NomicEmbedText { get; } = new("nomic-embed-text:latest", "nomic-bert", true, 768, 2048, 274_302_450);

    public static EmulatedModel Llama32 { get; } = new("llama3.2:latest", "llama", false, 3072, 131_072, 2_019_393_189);

    /// <summary>Stable per name and revision, 64 hex digits like Ollama's sha256 digests.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Revision == 0 ? Name : $"{Name}#{Revision}")));

    /// <summary>"llama3.2" and "llama3.2:latest" are one model, as in Ollama.</summary>
    public static string WithTag(string name)
    {
        var lastSlash = name.LastIndexOf('/');
        return name.IndexOf(':', lastSlash + 1) >= 0 ? name : name + ":latest";
    }
}

/// <summary>One request as it reached the emulator; <see cref="Body"/> is its JSON, or null.</summary>
public sealed record RecordedRequest(string Method, string Path, System.Text.Json.Nodes.JsonNode? Body);

public sealed record EmulatedMessage(string Role, string Content);

/// <summary>A chat request as the scriptable responder sees it; <see cref="Format"/> is "json", a JSON schema or null.</summary>
public sealed record EmulatedChat(
    string Model, IReadOnlyList<EmulatedMessage> Messages, System.Text.Json.Nodes.JsonNode? Format,
    System.Text.Json.Nodes.JsonObject? Options, bool Stream);
