using System.Numerics;

namespace Neptune.Core.Topics;

/// <summary>
/// The little vector math topics need, on the BCL's <see cref="Vector{T}"/> so that Core takes no package
/// (System.Numerics.Tensors is one). Inputs are unit vectors, so a dot product is their cosine.
/// </summary>
public static class UnitVectors
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors of {a.Length} and {b.Length} dimensions cannot be compared.", nameof(b));
        }

        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var result = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }

    /// <summary>Scales <paramref name="vector"/> to length 1 in place; a zero vector stays zero.</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = MathF.Sqrt(Dot(vector, vector));
        if (norm > 0)
        {
            Scale(vector, 1 / norm);
        }
    }

    /// <summary>A unit-length copy of <paramref name="vector"/>.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        Normalize(copy);
        return copy;
    }

    /// <summary><paramref name="target"/> += <paramref name="factor"/> × <paramref name="vector"/>.</summary>
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> vector, float factor = 1)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += factor * vector[i];
        }
    }

    private static void Scale(Span<float> vector, float factor)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= factor;
        }
    }
}
