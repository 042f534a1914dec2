namespace Gen.Runtime.Tests;

public sealed class InitializerTests
{
    [Fact]
    public void GlorotLimit_IsRootOfSixOverFanSum()
    {
        Assert.Equal(Math.Sqrt(6.0 / 8), Initializers.GlorotLimit(3, 5), 1e-7);
        Assert.Equal(Math.Sqrt(6.0 / 300), Initializers.GlorotLimit(100, 200), 1e-7);
    }

    [Fact]
    public void GlorotUniform_LargeKernel_IsUniformOnPlusMinusLimit()
    {
        const int FanIn = 512, FanOut = 256;
        var kernel = new float[FanIn * FanOut];
        double limit = Math.Sqrt(6.0 / (FanIn + FanOut));

        Initializers.GlorotUniform(kernel, FanIn, FanOut, seed: 1234, stream: 0);

        double sum = 0, sumOfSquares = 0, min = double.MaxValue, max = double.MinValue;
        foreach (float v in kernel)
        {
            sum += v;
            sumOfSquares += (double)v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double mean = sum / kernel.Length;
        double variance = sumOfSquares / kernel.Length - mean * mean;
        // For n = 131072 draws of U(−L, L): sd(mean) = L/√(3n) ≈ 0.0016·L and sd(variance) ≈ 0.0008·L²; bounds are about 5 sd.
        Assert.True(min >= -limit && max <= limit, $"values in [{min}, {max}], limit {limit}");
        Assert.True(min < -0.999 * limit && max > 0.999 * limit, $"values in [{min}, {max}] do not reach the limit {limit}");
        Assert.True(Math.Abs(mean) < 0.008 * limit, $"mean {mean}");
        Assert.True(Math.Abs(variance - limit * limit / 3) < 0.004 * limit * limit, $"variance {variance}, expected {limit * limit / 3}");
    }

    [Fact]
    public void GlorotUniform_SameSeedAndStream_GivesIdenticalWeights()
    {
        var first = new float[37 * 19];
        var second = new float[37 * 19];

        Initializers.GlorotUniform(first, 37, 19, seed: 7, stream: 2);
        Initializers.GlorotUniform(second, 37, 19, seed: 7, stream: 2);

        Assert.Equal(first, second);
    }

    [Fact]
    public void GlorotUniform_DifferentStreamsOrSeeds_GiveDifferentWeights()
    {
        var baseline = new float[64 * 32];
        var otherStream = new float[64 * 32];
        var otherSeed = new float[64 * 32];

        Initializers.GlorotUniform(baseline, 64, 32, seed: 7, stream: 0);
        Initializers.GlorotUniform(otherStream, 64, 32, seed: 7, stream: 1);
        Initializers.GlorotUniform(otherSeed, 64, 32, seed: 8, stream: 0);

        Assert.True(CountEqual(baseline, otherStream) < 5, "streams 0 and 1 share most weights");
        Assert.True(CountEqual(baseline, otherSeed) < 5, "seeds 7 and 8 share most weights");
    }

    [Fact]
    public void GlorotUniform_RejectsKernelOfWrongSize_NamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => Initializers.GlorotUniform(new float[10], 3, 4, seed: 0, stream: 0));

        Assert.Equal("kernel", error.ParamName);
    }

    [Fact]
    public void GlorotUniform_IsTwoUMinusOneTimesTheLimit_BitForBit()
    {
        // The definition GlorotUniform had before it drew through RandomUniform: the same seed must keep the same weights.
        const int FanIn = 33, FanOut = 17;
        var kernel = new float[FanIn * FanOut];
        var expected = new float[FanIn * FanOut];

        Initializers.GlorotUniform(kernel, FanIn, FanOut, seed: 99, stream: 4);
        Philox.FillUniform(expected, 99, 4);
        float limit = Initializers.GlorotLimit(FanIn, FanOut);
        for (int i = 0; i < expected.Length; i++) expected[i] = (2f * expected[i] - 1f) * limit;

        Assert.Equal(expected, kernel);
    }

    [Theory]
    [InlineData(-0.05f, 0.05f)]
    [InlineData(0f, 1f)]
    [InlineData(2f, 5f)]
    [InlineData(-7f, -6.5f)]
    public void RandomUniform_LargeFill_IsUniformOnTheRange(float minValue, float maxValue)
    {
        var values = new float[131072];

        Initializers.RandomUniform(values, minValue, maxValue, seed: 5, stream: 1);

        double sum = 0, sumOfSquares = 0, min = double.MaxValue, max = double.MinValue;
        foreach (float v in values)
        {
            sum += v;
            sumOfSquares += (double)v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double range = maxValue - (double)minValue, center = (maxValue + (double)minValue) / 2;
        double mean = sum / values.Length;
        double variance = sumOfSquares / values.Length - mean * mean;
        // U(a, b): mean (a + b)/2 with sd range/√(12n) ≈ 0.0008·range; variance range²/12 with sd ≈ 0.0002·range².
        Assert.True(min >= minValue && max <= maxValue, $"values in [{min}, {max}], expected within [{minValue}, {maxValue}]");
        Assert.True(min < minValue + 0.001 * range && max > maxValue - 0.001 * range, $"values in [{min}, {max}] do not reach [{minValue}, {maxValue}]");
        Assert.True(Math.Abs(mean - center) < 0.004 * range, $"mean {mean}, expected {center}");
        Assert.True(Math.Abs(variance - range * range / 12) < 0.001 * range * range, $"variance {variance}, expected {range * range / 12}");
    }

    [Fact]
    public void RandomUniform_IsDeterministicPerSeedAndStream()
    {
        var first = new float[1000];
        var second = new float[1000];
        var otherStream = new float[1000];
        var otherSeed = new float[1000];

        Initializers.RandomUniform(first, -0.05f, 0.05f, seed: 3, stream: 8);
        Initializers.RandomUniform(second, -0.05f, 0.05f, seed: 3, stream: 8);
        Initializers.RandomUniform(otherStream, -0.05f, 0.05f, seed: 3, stream: 9);
        Initializers.RandomUniform(otherSeed, -0.05f, 0.05f, seed: 4, stream: 8);

        Assert.Equal(first, second);
        Assert.True(CountEqual(first, otherStream) < 5, "streams 8 and 9 share most values");
        Assert.True(CountEqual(first, otherSeed) < 5, "seeds 3 and 4 share most values");
    }

    [Fact]
    public void RandomUniform_MapsEachPhiloxDrawLinearlyOntoTheRange()
    {
        // u = 0 gives minValue, and each value is min + (max − min)·u up to float rounding.
        var u = new float[64];
        var values = new float[64];
        Philox.FillUniform(u, 11, 2);

        Initializers.RandomUniform(values, 2f, 5f, seed: 11, stream: 2);

        for (int i = 0; i < u.Length; i++) Assert.Equal(2.0 + 3.0 * u[i], values[i], 1e-6);
    }

    [Fact]
    public void RandomUniform_RejectsAnEmptyOrNonFiniteRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>("maxValue", () => Initializers.RandomUniform(new float[4], 1f, 0f, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("minValue", () => Initializers.RandomUniform(new float[4], float.NaN, 0f, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("maxValue", () => Initializers.RandomUniform(new float[4], 0f, float.PositiveInfinity, 0, 0));
    }

    private static int CountEqual(float[] a, float[] b)
    {
        int count = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) count++;
        return count;
    }
}
