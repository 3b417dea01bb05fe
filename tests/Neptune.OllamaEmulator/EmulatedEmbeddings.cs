using System.Text;
using System.Text.RegularExpressions;

namespace Neptune.OllamaEmulator;

/// <summary>
/// Deterministic stand-in vectors: words hashed (with a sign) into the model's dimensions, then L2-normalised, so
/// texts that share words are similar and the same text always gives the same vector.
/// </summary>
public static partial class EmulatedEmbeddings
{
    /// <summary>The emulator's "tokens": lower-case words.</summary>
    public static IReadOnlyList<string> Tokenize(string text) =>
        [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    public static float[] Embed(IReadOnlyList<string> tokens, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var token in tokens)
        {
            var hash = Fnv1a(token);
            var sign = (Fnv1a(token + "#") & 1) == 0 ? 1f : -1f;
            vector[(int)(hash % (uint)dimensions)] += sign;
        }

        if (tokens.Count == 0)
        {
            vector[0] = 1;  // an empty text still gets a unit vector, as a real model gives one
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();
}
