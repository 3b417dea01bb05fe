using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Neptune.Core.Vectors;

/// <summary>
/// The kernels of vector search on the BCL's hardware intrinsics, so Core takes no package: a float dot product as
/// fast as System.Numerics.Tensors' (bench "vectors" compares them), and an int8 dot product for the quantised scan.
/// </summary>
public static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors of {a.Length} and {b.Length} dimensions cannot be compared.", nameof(b));
        }

        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length, i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            // 256-bit lanes with four accumulators beat 512-bit ones here: the scan is bound by memory, not arithmetic.
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i + 32 <= n; i += 32)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, i), Vector256.LoadUnsafe(ref rb, i), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, i + 8), Vector256.LoadUnsafe(ref rb, i + 8), s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, i + 16), Vector256.LoadUnsafe(ref rb, i + 16), s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, i + 24), Vector256.LoadUnsafe(ref rb, i + 24), s3);
            }

            for (; i + 8 <= n; i += 8)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, i), Vector256.LoadUnsafe(ref rb, i), s0);
            }

            sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        else if (Vector128.IsHardwareAccelerated && n >= 4)
        {
            var s0 = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                s0 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref ra, i), Vector128.LoadUnsafe(ref rb, i), s0);
            }

            sum = Vector128.Sum(s0);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref ra, i) * Unsafe.Add(ref rb, i);
        }

        return sum;
    }

    /// <summary>
    /// Σ a·b with <paramref name="b"/> in float16 (how the compact index keeps its re-rank copies). Each half is widened
    /// to float32 by moving its exponent and mantissa into place and scaling by 2^112, which is exact for every finite
    /// half, subnormals included; infinities and NaN never reach an index of unit vectors.
    /// </summary>
    public static float DotHalf(ReadOnlySpan<float> a, ReadOnlySpan<Half> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors of {a.Length} and {b.Length} dimensions cannot be compared.", nameof(b));
        }

        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(b));
        nuint n = (nuint)a.Length, i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<float> s0 = default, s1 = default;
            for (; i + 16 <= n; i += 16)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref rb, i));
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, i), WidenHalves(lower), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref ra, i + 8), WidenHalves(upper), s1);
            }

            sum = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref ra, i) * (float)Unsafe.As<ushort, Half>(ref Unsafe.Add(ref rb, i));
        }

        return sum;
    }

    /// <summary>
    /// Float16 copies of <paramref name="vector"/>, rounded to nearest even as <c>(Half)value</c> is (tested bit for bit),
    /// eight lanes at a time: loading 100k notes converts 77M values, ~0.3 s one by one.
    /// </summary>
    public static void ToHalf(ReadOnlySpan<float> vector, Span<Half> halves)
    {
        if (halves.Length < vector.Length)
        {
            throw new ArgumentException($"{halves.Length} halves cannot hold {vector.Length} values.", nameof(halves));
        }

        ref var rv = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(vector));
        ref var rh = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(halves));
        nuint n = (nuint)vector.Length, i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector256.Narrow(NarrowToHalves(Vector256.LoadUnsafe(ref rv, i)), NarrowToHalves(Vector256.LoadUnsafe(ref rv, i + 8))).StoreUnsafe(ref rh, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref rh, i) = BitConverter.HalfToUInt16Bits((Half)Unsafe.As<uint, float>(ref Unsafe.Add(ref rv, i)));
        }
    }

    /// <summary>Float32 bits → float16 bits in the low 16 of each lane (F. Giesen's float_to_half_fast3_rtne, branch-free).</summary>
    private static Vector256<uint> NarrowToHalves(Vector256<uint> bits)
    {
        var sign = bits & Vector256.Create(0x8000_0000u);
        var f = bits ^ sign;

        // Normal halves: rebias the exponent, round the 13 dropped mantissa bits to nearest even.
        var odd = (f >> 13) & Vector256<uint>.One;
        var normal = (f + Vector256.Create(unchecked((uint)((15 - 127) << 23) + 0xFFFu)) + odd) >> 13;

        // Subnormal halves and zero (|value| < 2^-14): adding 0.5 lets the FPU round the mantissa into place.
        var magic = Vector256.Create(126u << 23);
        var subnormal = (f.AsSingle() + magic.AsSingle()).AsUInt32() - magic;

        // Too large for a half: infinity, or a quiet NaN for NaN.
        var overflow = Vector256.ConditionalSelect(Vector256.GreaterThan(f, Vector256.Create(0x7F80_0000u)), Vector256.Create(0x7E00u), Vector256.Create(0x7C00u));

        var half = Vector256.ConditionalSelect(Vector256.LessThan(f, Vector256.Create(113u << 23)), subnormal, normal);
        half = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(f, Vector256.Create(143u << 23)), overflow, half);
        return half | (sign >> 16);
    }

    private static Vector256<float> WidenHalves(Vector256<uint> bits)
    {
        var magnitude = (bits & Vector256.Create(0x7FFFu)) << 13;
        var value = magnitude.AsSingle() * Vector256.Create(5.192296858534828e33f);  // 2^112: rebias 15 → 127
        return (value.AsUInt32() | ((bits & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    /// <summary>
    /// Symmetric int8 codes of <paramref name="vector"/>: code = round(value / scale) with scale = max |value| / 127.
    /// Returns the scale and the sum of the codes (the VNNI kernel needs it). Vectorised: loading an index quantises
    /// every vector, and the scalar loop was most of the load time.
    /// </summary>
    public static (float Scale, int CodeSum) Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        if (codes.Length < vector.Length)
        {
            throw new ArgumentException($"{codes.Length} codes cannot hold {vector.Length} values.", nameof(codes));
        }

        var max = MaxMagnitude(vector);
        if (max == 0)
        {
            codes[..vector.Length].Clear();
            return (0, 0);
        }

        var scale = max / 127f;
        var inverse = 127f / max;
        ref var rv = ref MemoryMarshal.GetReference(vector);
        ref var rc = ref MemoryMarshal.GetReference(codes);
        nuint n = (nuint)vector.Length, i = 0;
        var sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            var factor = Vector256.Create(inverse);
            var sums = Vector256<int>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                // |value| ≤ max, so every code is within ±127 and narrowing cannot wrap.
                var a = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref rv, i) * factor));
                var b = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref rv, i + 8) * factor));
                var c = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref rv, i + 16) * factor));
                var d = Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref rv, i + 24) * factor));
                sums += (a + b) + (c + d);
                Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).StoreUnsafe(ref rc, i);
            }

            sum = Vector256.Sum(sums);
        }

        for (; i < n; i++)
        {
            var code = (sbyte)Math.Clamp(MathF.Round(Unsafe.Add(ref rv, i) * inverse), -127, 127);
            Unsafe.Add(ref rc, i) = code;
            sum += code;
        }

        return (scale, sum);
    }

    private static float MaxMagnitude(ReadOnlySpan<float> vector)
    {
        ref var rv = ref MemoryMarshal.GetReference(vector);
        nuint n = (nuint)vector.Length, i = 0;
        var max = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var m = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                m = Vector256.Max(m, Vector256.Abs(Vector256.LoadUnsafe(ref rv, i)));
            }

            for (var lane = 0; lane < Vector256<float>.Count; lane++)
            {
                max = MathF.Max(max, m[lane]);
            }
        }

        for (; i < n; i++)
        {
            max = MathF.Max(max, MathF.Abs(Unsafe.Add(ref rv, i)));
        }

        return max;
    }

    /// <summary>Σ query·codes for int8 codes; <paramref name="query"/> is prepared once per search by <see cref="PrepareQuery"/>.</summary>
    public static int DotInt8(in Int8Query query, ReadOnlySpan<sbyte> codes, int codeSum)
    {
        ref var rc = ref MemoryMarshal.GetReference(codes);
        nuint n = (nuint)codes.Length, i = 0;
        var sum = 0;
        if (AvxVnni.IsSupported && n >= 32)
        {
            // vpdpbusd multiplies unsigned by signed bytes: the query is shifted by +128, so subtract 128 × Σ codes after.
            ref var rq = ref MemoryMarshal.GetArrayDataReference(query.Shifted);
            Vector256<int> a0 = default, a1 = default;
            for (; i + 64 <= n; i += 64)
            {
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.LoadUnsafe(ref rq, i), Vector256.LoadUnsafe(ref rc, i));
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, Vector256.LoadUnsafe(ref rq, i + 32), Vector256.LoadUnsafe(ref rc, i + 32));
            }

            for (; i + 32 <= n; i += 32)
            {
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.LoadUnsafe(ref rq, i), Vector256.LoadUnsafe(ref rc, i));
            }

            var head = (int)i;
            sum = Vector256.Sum(a0 + a1) - (128 * (codeSum - SumCodes(codes[head..])));
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            ref var rq = ref MemoryMarshal.GetArrayDataReference(query.Widened);
            var acc = Vector256<int>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var wide = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref rc, i));
                acc += Avx2.MultiplyAddAdjacent(wide, Vector256.LoadUnsafe(ref rq, i));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += query.Widened[i] * Unsafe.Add(ref rc, i);
        }

        return sum;
    }

    public static Int8Query PrepareQuery(ReadOnlySpan<float> query)
    {
        var codes = new sbyte[query.Length];
        var (scale, _) = Quantize(query, codes);
        var shifted = new byte[query.Length];
        var widened = new short[query.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            shifted[i] = (byte)(codes[i] + 128);
            widened[i] = codes[i];
        }

        return new Int8Query(scale, shifted, widened);
    }

    private static int SumCodes(ReadOnlySpan<sbyte> codes)
    {
        var sum = 0;
        foreach (var c in codes)
        {
            sum += c;
        }

        return sum;
    }
}

/// <summary>A query in the forms the int8 kernels read: shifted to unsigned (VNNI) and widened to 16 bits (AVX2, tails).</summary>
public readonly record struct Int8Query(float Scale, byte[] Shifted, short[] Widened);
