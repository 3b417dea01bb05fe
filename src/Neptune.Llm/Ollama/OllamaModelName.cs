namespace Neptune.Llm.Ollama;

/// <summary>Ollama model names are "[host/][namespace/]model[:tag]"; without a tag they mean ":latest".</summary>
public static class OllamaModelName
{
    public static string WithTag(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var trimmed = name.Trim();
        var lastSlash = trimmed.LastIndexOf('/');
        return trimmed.IndexOf(':', lastSlash + 1) >= 0 ? trimmed : trimmed + ":latest";
    }

    /// <summary>Whether two names denote the same model ("llama3.2" and "llama3.2:latest" do).</summary>
    public static bool Same(string a, string b) =>
        string.Equals(WithTag(a), WithTag(b), StringComparison.OrdinalIgnoreCase);
}
