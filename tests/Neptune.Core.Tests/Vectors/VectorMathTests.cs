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
