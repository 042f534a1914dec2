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

    private static int CountEqual(float[] a, float[] b)
    {
        int count = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) count++;
        return count;
    }
}
