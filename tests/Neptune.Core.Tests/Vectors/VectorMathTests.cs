using Neptune.Core.Vectors;

namespace Neptune.Core.Tests.Vectors;

public sealed class VectorMathTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(31)]
    [InlineData(384)]
    [InlineData(397)]
    public void Dot_matches_the_plain_sum_of_products(int dimensions)
    {
        var random = new Random(dimensions);
        var a = Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        var expected = a.Zip(b, (x, y) => (double)x * y).Sum();

        Assert.Equal(expected, VectorMath.Dot(a, b), 4);
    }

    [Fact]
    public void ToHalf_rounds_every_float_as_the_Half_cast_does_bit_for_bit()
    {
        // Every exponent a half can take or overflow to, both signs, random mantissas, plus the round-half-even ties,
        // the subnormal/normal edges, zeros, infinities and NaN.
        var random = new Random(7);
        var values = new List<float> { 0f, -0f, float.Epsilon, 6.1035156e-05f, 6.097555e-05f, 5.9604645e-08f, 2.9802322e-08f, 65504f, 65520f, 65519.996f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1f + (1f / 2048), 1f + (3f / 2048) };
        for (var exponent = 90; exponent <= 160; exponent++)
        {
            for (var j = 0; j < 200; j++)
            {
                var bits = ((uint)random.Next(2) << 31) | ((uint)exponent << 23) | (uint)random.Next(1 << 23);
                values.Add(BitConverter.UInt32BitsToSingle(bits));
                values.Add(BitConverter.UInt32BitsToSingle((bits & ~0x1FFFu) | 0x1000u));  // exactly halfway between two halves
            }
        }

        var halves = new Half[values.Count];
        VectorMath.ToHalf(values.ToArray(), halves);

        for (var i = 0; i < values.Count; i++)
        {
            var expected = (Half)values[i];
            Assert.True(
                BitConverter.HalfToUInt16Bits(expected) == BitConverter.HalfToUInt16Bits(halves[i]) || (Half.IsNaN(expected) && Half.IsNaN(halves[i])),
                $"{values[i]:R} (0x{BitConverter.SingleToUInt32Bits(values[i]):X8}): expected 0x{BitConverter.HalfToUInt16Bits(expected):X4}, got 0x{BitConverter.HalfToUInt16Bits(halves[i]):X4}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(384)]
    [InlineData(397)]
    public void DotHalf_is_the_dot_product_with_the_halves_widened(int dimensions)
    {
        var random = new Random(dimensions);
        var a = Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        // Subnormal halves too: a unit vector's small components are below 2^-14.
        var b = Enumerable.Range(0, dimensions).Select(i => (Half)(i % 5 == 0 ? ((float)random.NextDouble() - 0.5f) * 1e-5f : (float)random.NextDouble() - 0.5f)).ToArray();

        var expected = a.Zip(b, (x, y) => (double)x * (double)(float)y).Sum();

        Assert.Equal(expected, VectorMath.DotHalf(a, b), 4);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(32)]
    [InlineData(70)]
    [InlineData(384)]
    public void Int8_dot_is_the_exact_integer_sum_of_code_products(int dimensions)
    {
        var random = new Random(dimensions);
        var a = Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var codes = new sbyte[dimensions];
        var (scale, sum) = VectorMath.Quantize(b, codes);
        var query = VectorMath.PrepareQuery(a);

        var expected = 0;
        for (var i = 0; i < dimensions; i++)
        {
            expected += query.Widened[i] * codes[i];
        }

        Assert.Equal(codes.Sum(c => c), sum);
        Assert.Equal(expected, VectorMath.DotInt8(query, codes, sum));
        Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), expected * scale * query.Scale, 1);
    }

    [Fact]
    public void Quantize_maps_the_largest_magnitude_to_127()
    {
        var codes = new sbyte[3];

        var (scale, sum) = VectorMath.Quantize([0.5f, -1f, 0.25f], codes);

        Assert.Equal([64, -127, 32], codes.Select(c => (int)c));
        Assert.Equal(1f / 127, scale, 6);
        Assert.Equal(-31, sum);
    }

    [Theory]
    [InlineData(33)]
    [InlineData(384)]
    [InlineData(390)]
    public void Quantize_rounds_every_value_to_the_nearest_code(int dimensions)
    {
        var random = new Random(dimensions);
        var vector = Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var codes = new sbyte[dimensions];

        var (scale, sum) = VectorMath.Quantize(vector, codes);

        var max = vector.Max(MathF.Abs);
        Assert.Equal(max / 127, scale, 6);
        Assert.Equal(vector.Select(v => (int)MathF.Round(v * (127 / max))), codes.Select(c => (int)c));
        Assert.Equal(codes.Sum(c => c), sum);
        Assert.Contains(codes, c => Math.Abs(c) == 127);
    }
}
