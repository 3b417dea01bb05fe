using System.ComponentModel.DataAnnotations;

namespace Neptune.Llm;

/// <summary>The llm role, bound from "Neptune:Llm".</summary>
public sealed class LlmOptions
{
    public const string Section = "Neptune:Llm";

    /// <summary>
    /// Which embedding model a fresh install activates: "onnx" (the embedded all-MiniLM-L6-v2, no network) or "ollama"
    /// (Neptune:Llm:Ollama:EmbeddingModel). Once a model is active it stays pinned until `neptune models activate`.
    /// </summary>
    [Required]
    [RegularExpression("^(onnx|ollama)$", ErrorMessage = "Neptune:Llm:Provider must be 'onnx' or 'ollama'.")]
    public string Provider { get; set; } = "onnx";

    /// <summary>Most inputs one embeddings request may carry; callers batch above this.</summary>
    [Range(1, 4096)]
    public int MaxInputsPerRequest { get; set; } = 512;

    /// <summary>Most notes one topics request may carry.</summary>
    [Range(1, 1024)]
    public int MaxNotesPerRequest { get; set; } = 64;

    /// <summary>Most topic pairs one relations request may carry.</summary>
    [Range(1, 100_000)]
    public int MaxPairsPerRequest { get; set; } = 2000;

    /// <summary>Load the embedded model when the process starts, so the first search does not wait for it.</summary>
    public bool WarmUp { get; set; } = true;
}
