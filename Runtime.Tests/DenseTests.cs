using Gen.Cpu;

namespace Gen.Runtime.Tests;

/// <summary>The dense kernels against naive float64 loops, for sizes around and below the machine's vector width.</summary>
public sealed class DenseTests
{
    public static TheoryData<int, int, int, bool> Shapes => new()
    {
        { 3, 37, 19, true },
        { 3, 37, 19, false },
        { 2, 3, 5, true },
        { 2, 3, 5, false },
        { 1, 1, 1, true },
        { 4, 16, 8, true },
        { 5, 9, 33, false },
        { 9, 37, 35, true },
        { 8, 12, 48, false },
        { 13, 6, 17, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_EqualsXTimesWPlusB(int batch, int inputs, int outputs, bool useBias)
    {
        var random = new Random(batch * 1000 + inputs * 10 + outputs);
        var x = RandomArray(random, batch * inputs, zeroEvery: 5);
        var w = RandomArray(random, inputs * outputs);
        var b = useBias ? RandomArray(random, outputs) : [];
        var y = Filled(batch * outputs, float.NaN);

        Dense.Forward(x, w, b, y, batch, inputs, outputs);

        for (int r = 0; r < batch; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double sum = useBias ? b[o] : 0, magnitude = useBias ? Math.Abs(b[o]) : 0;
                for (int k = 0; k < inputs; k++)
                {
                    sum += (double)x[r * inputs + k] * w[k * outputs + o];
                    magnitude += Math.Abs((double)x[r * inputs + k] * w[k * outputs + o]);
                }
                AssertClose(sum, y[r * outputs + o], magnitude, inputs + 1, $"y[{r},{o}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardParameters_OverwritesWithXTransposedDyAndColumnSums(int batch, int inputs, int outputs, bool useBias)
    {
        var random = new Random(batch * 2000 + inputs * 10 + outputs);
        var x = RandomArray(random, batch * inputs, zeroEvery: 4);
        var dy = RandomArray(random, batch * outputs);
        var dW = Filled(inputs * outputs, 123f);
        var dB = useBias ? Filled(outputs, -7f) : [];

        Dense.BackwardParameters(x, dy, dW, dB, batch, inputs, outputs);

        for (int k = 0; k < inputs; k++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double sum = 0, magnitude = 0;
                for (int r = 0; r < batch; r++)
                {
                    sum += (double)x[r * inputs + k] * dy[r * outputs + o];
                    magnitude += Math.Abs((double)x[r * inputs + k] * dy[r * outputs + o]);
                }
                AssertClose(sum, dW[k * outputs + o], magnitude, batch, $"dW[{k},{o}]");
            }
        }
        for (int o = 0; o < dB.Length; o++)
        {
            double sum = 0, magnitude = 0;
            for (int r = 0; r < batch; r++)
            {
                sum += dy[r * outputs + o];
                magnitude += Math.Abs(dy[r * outputs + o]);
            }
            AssertClose(sum, dB[o], magnitude, batch, $"dB[{o}]");
        }
    }

    public static TheoryData<int, int, int> Sizes => new()
    {
        { 3, 37, 19 },
        { 2, 3, 5 },
        { 1, 1, 1 },
        { 4, 16, 8 },
        { 5, 33, 9 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BackwardInput_OverwritesWithDyTimesWTransposed(int batch, int inputs, int outputs)
    {
        var random = new Random(batch * 3000 + inputs * 10 + outputs);
        var dy = RandomArray(random, batch * outputs);
        var w = RandomArray(random, inputs * outputs);
        var dx = Filled(batch * inputs, float.NaN);

        Dense.BackwardInput(dy, w, dx, batch, inputs, outputs);

        for (int r = 0; r < batch; r++)
        {
            for (int k = 0; k < inputs; k++)
            {
                double sum = 0, magnitude = 0;
                for (int o = 0; o < outputs; o++)
                {
                    sum += (double)dy[r * outputs + o] * w[k * outputs + o];
                    magnitude += Math.Abs((double)dy[r * outputs + o] * w[k * outputs + o]);
                }
                AssertClose(sum, dx[r * inputs + k], magnitude, outputs, $"dx[{r},{k}]");
            }
        }
    }

    [Fact]
    public void Forward_UsesKerasKernelLayout_InputsByUnits()
    {
        // x = [1, 2], W (2 inputs × 3 units) row-major = [[1, 2, 3], [4, 5, 6]], b = [0.5, 0, −1]:
        // y = [1·1 + 2·4 + 0.5, 1·2 + 2·5, 1·3 + 2·6 − 1] = [9.5, 12, 14].
        var y = new float[3];

        Dense.Forward([1f, 2f], [1f, 2f, 3f, 4f, 5f, 6f], [0.5f, 0f, -1f], y, batch: 1, inputs: 2, outputs: 3);

        Assert.Equal([9.5f, 12f, 14f], y);
    }

    /// <summary>A float32 sum of n products is within (n + 1)·2⁻²⁴ of the sum of the terms' magnitudes (the standard bound).</summary>
    private static void AssertClose(double expected, float actual, double magnitude, int terms, string what) =>
        Assert.True(Math.Abs(actual - expected) <= (terms + 1) * Math.ScaleB(1.0, -24) * magnitude,
            $"{what}: expected {expected:R}, got {actual:R}");

    private static float[] RandomArray(Random random, int length, int zeroEvery = 0)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = zeroEvery > 0 && i % zeroEvery == 0 ? 0f : (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static float[] Filled(int length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }

    [Theory]
    [InlineData(64, 100, 70)]
    [InlineData(33, 257, 130)]
    [InlineData(128, 784, 10)]
    [InlineData(96, 130, 70)]
    [InlineData(50, 1000, 9)]
    [InlineData(37, 47, 300)]
    [InlineData(40, 208, 176)]
    public void Results_are_bit_identical_whatever_the_thread_count(int batch, int inputs, int outputs)
    {
        var random = new Random(batch + inputs + outputs);
        var x = RandomArray(random, batch * inputs);
        var w = RandomArray(random, inputs * outputs);
        var b = RandomArray(random, outputs);
        var dy = RandomArray(random, batch * outputs);
        (float[] Y, float[] DW, float[] DB, float[] DX) Run(int threads)
        {
            int saved = Workers.Count;
            Workers.Count = threads;
            try
            {
                var y = new float[batch * outputs];
                var dW = new float[inputs * outputs];
                var dB = new float[outputs];
                var dx = new float[batch * inputs];
                Dense.Forward(x, w, b, y, batch, inputs, outputs);
                Dense.BackwardParameters(x, dy, dW, dB, batch, inputs, outputs);
                Dense.BackwardInput(dy, w, dx, batch, inputs, outputs);
                return (y, dW, dB, dx);
            }
            finally
            {
                Workers.Count = saved;
            }
        }
        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 5 })
        {
            var many = Run(threads);
            Assert.Equal(one.Y, many.Y);
            Assert.Equal(one.DW, many.DW);
            Assert.Equal(one.DB, many.DB);
            Assert.Equal(one.DX, many.DX);
        }
        // And they are right: spot-check one output against float64.
        double expected = b[3];
        for (int k = 0; k < inputs; k++) expected += (double)x[5 * inputs + k] * w[k * outputs + 3];
        Assert.Equal(expected, one.Y[5 * outputs + 3], 3);
    }

    public static TheoryData<int, int, int> EdgeSizes => new()
    {
        { 13, 100, 10 },
        { 9, 37, 35 },
        { 8, 20, 16 },
        { 3, 5, 1 },
        { 17, 33, 47 },
        { 12, 64, 130 },
        { 11, 81, 80 },
        { 16, 50, 64 },
        { 9, 112, 33 },
    };

    /// <summary>
    /// Every element is one float32 fused multiply-add chain in a fixed order, whichever path computes it (whole strips,
    /// the zero-padded edge strip, plain loops): y and dW chain over the shared dimension from the bias (or 0), dx chains over
    /// the outputs in order from 0. So results do not depend on the batch, the thread count, or where a column falls.
    /// </summary>
    [Theory]
    [MemberData(nameof(EdgeSizes))]
    public void Every_element_is_one_fused_chain_in_order(int batch, int inputs, int outputs)
    {
        var random = new Random(batch * 7 + inputs * 11 + outputs);
        var x = RandomArray(random, batch * inputs, zeroEvery: 7);
        var w = RandomArray(random, inputs * outputs);
        var b = RandomArray(random, outputs);
        var dy = RandomArray(random, batch * outputs);
        var y = new float[batch * outputs];
        var dW = new float[inputs * outputs];
        var dB = new float[outputs];
        var dx = new float[batch * inputs];

        Dense.Forward(x, w, b, y, batch, inputs, outputs);
        Dense.BackwardParameters(x, dy, dW, dB, batch, inputs, outputs);
        Dense.BackwardInput(dy, w, dx, batch, inputs, outputs);

        for (int r = 0; r < batch; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                float acc = b[o];
                for (int k = 0; k < inputs; k++) acc = MathF.FusedMultiplyAdd(x[r * inputs + k], w[k * outputs + o], acc);
                Assert.Equal(acc, y[r * outputs + o]);
            }
            for (int k = 0; k < inputs; k++)
            {
                float acc = 0f;
                for (int o = 0; o < outputs; o++) acc = MathF.FusedMultiplyAdd(dy[r * outputs + o], w[k * outputs + o], acc);
                Assert.Equal(acc, dx[r * inputs + k]);
            }
        }
        for (int k = 0; k < inputs; k++)
        {
            for (int o = 0; o < outputs; o++)
            {
                float acc = 0f;
                for (int r = 0; r < batch; r++) acc = MathF.FusedMultiplyAdd(x[r * inputs + k], dy[r * outputs + o], acc);
                Assert.Equal(acc, dW[k * outputs + o]);
            }
        }
    }
}
