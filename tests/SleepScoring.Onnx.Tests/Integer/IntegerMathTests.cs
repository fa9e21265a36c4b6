using SleepScoring.Onnx.Integer;

namespace SleepScoring.Onnx.Tests.Integer;

public sealed class IntegerMathTests
{
    [Theory]
    [InlineData(-7, 2, -4)]
    [InlineData(7, 2, 3)]
    [InlineData(-8, 4, -2)]
    [InlineData(-1, 16, -1)]
    public void FloorDiv_rounds_toward_minus_infinity(long a, long b, long expected) =>
        Assert.Equal(expected, IntegerMath.FloorDiv(a, b));

    [Fact]
    public void Newton_square_root_is_exact_for_every_value_below_two_to_the_twenty()
    {
        int iterations = IntegerMath.SqrtIterations(16);
        for (long v = 1; v < 1 << 20; v++)
        {
            long root = (long)Math.Sqrt(v); // exact for v < 2^52
            Assert.Equal(root, IntegerMath.NewtonSqrt(v, 1 << 16, iterations));
        }
    }

    [Fact]
    public void Newton_square_root_is_exact_up_to_two_to_the_thirty_two()
    {
        int iterations = IntegerMath.SqrtIterations(16);
        var random = new Random(17);
        var values = Enumerable.Range(0, 200_000).Select(_ => random.NextInt64(1, 1L << 32))
            .Concat(Enumerable.Range(1, 65535).SelectMany(k => new[] { ((long)k * k) - 1, (long)k * k, ((long)k * k) + 1 }))
            .Append((1L << 32) - 1)
            .Append(1L << 32);
        foreach (long v in values.Where(v => v >= 1))
        {
            Assert.Equal((long)Math.Sqrt(v), IntegerMath.NewtonSqrt(v, 1 << 16, iterations));
        }
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.75)]
    [InlineData(3.3e-5)]
    [InlineData(1.0)]
    public void Dyadic_has_a_fifteen_bit_multiplier_and_is_within_half_a_unit(double ratio)
    {
        Dyadic d = Dyadic.FromRatio(ratio);

        Assert.InRange(d.Multiplier, 1 << 14, (1 << 15) - 1);
        Assert.InRange(Math.Abs(d.Value - ratio) / ratio, 0, 1.0 / (1 << 14));
    }

    [Fact]
    public void Dyadic_apply_rounds_half_up()
    {
        var half = new Dyadic(1, 1); // z / 2
        Assert.Equal(2, half.Apply(3));   // 1.5 → 2
        Assert.Equal(-1, half.Apply(-3)); // −1.5 → −1
        Assert.Equal(-2, half.Apply(-4));
    }

    [Fact]
    public void Bracketed_start_is_above_the_root_and_close_to_it()
    {
        var random = new Random(5);
        foreach (long v in Enumerable.Range(0, 100_000).Select(_ => random.NextInt64(1, (1L << 32) + 1)).Concat([1L, 2, 3, 4, 1L << 32]))
        {
            double root = Math.Sqrt(v);
            long start = IntegerMath.SqrtStart(v);
            Assert.True(start >= (long)root, $"start {start} below √{v}");
            Assert.True(start <= (1.0607 * root) + 1, $"start {start} far above √{v} = {root}");
        }
    }

    [Fact]
    public void Bracketed_square_root_is_exact_for_every_value_below_two_to_the_twenty()
    {
        for (long v = 1; v < 1 << 20; v++)
        {
            Assert.Equal((long)Math.Sqrt(v), IntegerMath.Sqrt(v));
        }
    }

    [Fact]
    public void Bracketed_square_root_is_exact_at_every_square_and_its_neighbours_up_to_two_to_the_thirty_two()
    {
        var random = new Random(23);
        var values = Enumerable.Range(0, 200_000).Select(_ => random.NextInt64(1, 1L << 32))
            .Concat(Enumerable.Range(1, 65536).SelectMany(k => new[] { ((long)k * k) - 1, (long)k * k, ((long)k * k) + 1 }))
            .Concat(Enumerable.Range(1, 31).Select(i => (1L << i) + 1));
        foreach (long v in values.Where(v => v is >= 1 and <= 1L << 32))
        {
            Assert.Equal((long)Math.Sqrt(v), IntegerMath.Sqrt(v));
        }
    }
}
