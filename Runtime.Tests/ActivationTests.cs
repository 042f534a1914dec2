using Gen.Cpu;

namespace Gen.Runtime.Tests;

/// <summary>
/// Each activation's forward against a float64 implementation written here from Keras's definition, and each
/// backward against central differences of that float64 forward.
/// </summary>
public sealed class ActivationTests
{
    private delegate void ForwardPass(ReadOnlySpan<float> z, Span<float> a, int width);
    private delegate void BackwardPass(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width);

    private sealed record Elementwise(ForwardPass Forward, BackwardPass Backward, Func<double, double> Reference, bool HasKinkAtZero);

    private const double SeluAlpha = 1.6732632423543772, SeluScale = 1.0507009873554805, LeakySlope = 0.2;

    private static readonly Dictionary<string, Elementwise> Activation = new()
    {
        ["relu"] = new(Activations.Relu.Forward, Activations.Relu.Backward, x => x > 0 ? x : 0, HasKinkAtZero: true),
        ["sigmoid"] = new(Activations.Sigmoid.Forward, Activations.Sigmoid.Backward, x => 1 / (1 + Math.Exp(-x)), false),
        ["tanh"] = new(Activations.Tanh.Forward, Activations.Tanh.Backward,
            x => x > 0 ? (1 - Math.Exp(-2 * x)) / (1 + Math.Exp(-2 * x)) : (Math.Exp(2 * x) - 1) / (Math.Exp(2 * x) + 1), false),
        ["gelu"] = new(Activations.Gelu.Forward, Activations.Gelu.Backward, x => x * 0.5 * ReferenceMath.Erfc(-x / Math.Sqrt(2)), false),
        ["elu"] = new(Activations.Elu.Forward, Activations.Elu.Backward, x => x > 0 ? x : ReferenceMath.ExpM1(x), true),
        ["selu"] = new(Activations.Selu.Forward, Activations.Selu.Backward,
            x => SeluScale * (x > 0 ? x : SeluAlpha * ReferenceMath.ExpM1(x)), true),
        ["softplus"] = new(Activations.Softplus.Forward, Activations.Softplus.Backward,
            x => x > 0 ? x + ReferenceMath.Log1P(Math.Exp(-x)) : ReferenceMath.Log1P(Math.Exp(x)), false),
        ["swish"] = new(Activations.Swish.Forward, Activations.Swish.Backward, x => x / (1 + Math.Exp(-x)), false),
        ["leaky_relu"] = new(Activations.LeakyRelu.Forward, Activations.LeakyRelu.Backward, x => x >= 0 ? x : LeakySlope * x, true),
    };

    public static TheoryData<string> Names => [.. Activation.Keys];

    private static readonly float[] ForwardPoints =
    [
        -30f, -10f, -5f, -2.5f, -1f, -0.3f, -1e-3f, -1e-6f, 0f, 1e-6f, 1e-3f, 0.2f, 0.7f, 1.5f, 3f, 5f, 10f, 30f,
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_MatchesFloat64Reference_IncludingLargeMagnitudes(string name)
    {
        var activation = Activation[name];
        float[] z = [.. ForwardPoints, .. RandomPoints(40, 8, seed: 1)];
        var a = new float[z.Length];

        activation.Forward(z, a, z.Length);

        for (int i = 0; i < z.Length; i++)
        {
            double expected = activation.Reference(z[i]);
            Assert.True(float.IsFinite(a[i]), $"{name}({z[i]}) = {a[i]}");
            Assert.True(Math.Abs(a[i] - expected) <= 1e-6 * Math.Abs(expected) + 1e-37,
                $"{name}({z[i]:R}): expected {expected:R}, got {a[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_MatchesCentralDifferencesOfFloat64Reference(string name)
    {
        var activation = Activation[name];
        float[] z = [-30f, -12f, -6f, -2.5f, -1f, -0.3f, -1e-3f, 1e-3f, 0.2f, 0.7f, 1.5f, 4f, 12f, 30f, .. RandomPoints(60, 8, seed: 2)];
        var da = RandomPoints(z.Length, 2, seed: 3);
        var a = new float[z.Length];
        var dz = new float[z.Length];

        activation.Forward(z, a, z.Length);
        activation.Backward(z, a, da, dz, z.Length);

        for (int i = 0; i < z.Length; i++)
        {
            double x = z[i];
            double h = 1e-5 * Math.Max(1, Math.Abs(x));
            double expected = da[i] * (activation.Reference(x + h) - activation.Reference(x - h)) / (2 * h);
            Assert.True(Math.Abs(dz[i] - expected) <= 1e-5 * Math.Abs(expected) + 1e-6 * Math.Abs(da[i]),
                $"d{name}/dz at {x:R}: expected {expected:R}, got {dz[i]:R}");
        }
    }

    [Fact]
    public void ReluBackward_AtZero_IsZero()
    {
        // Every Keras backend takes the subgradient 0 at z = 0 (the other kinks differ between backends, so they are not pinned).
        float[] z = [0f, 0f];
        var a = new float[2];
        var dz = new float[2];

        Activations.Relu.Forward(z, a, 2);
        Activations.Relu.Backward(z, a, [1f, -3f], dz, 2);

        Assert.Equal([0f, 0f], dz);
    }

    [Fact]
    public void KerasConstants_AreThoseOfKeras()
    {
        Assert.Equal((float)SeluAlpha, Activations.Selu.Alpha);
        Assert.Equal((float)SeluScale, Activations.Selu.Scale);
        Assert.Equal(0.2f, Activations.LeakyRelu.NegativeSlope);
        float[] a = new float[2];
        Activations.Elu.Forward([-1000f, 2f], a, 2);
        Assert.Equal([-1f, 2f], a); // alpha 1: saturates at −1
    }

    [Fact]
    public void Softmax_Forward_MatchesFloat64Reference_RowWise_WithoutOverflow()
    {
        const int Width = 5;
        float[] z =
        [
            1f, 2f, 3f, 4f, 5f,
            -30f, 30f, 0f, 1e-3f, -1e-3f,
            1000f, 999f, -1000f, 0f, 1000f,
            0f, 0f, 0f, 0f, 0f,
            .. RandomPoints(3 * Width, 6, seed: 4),
        ];
        var a = new float[z.Length];

        Activations.Softmax.Forward(z, a, Width);

        var expected = new double[z.Length];
        ReferenceSoftmax(z.Select(v => (double)v).ToArray(), expected, Width);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-37,
                $"softmax element {i}: expected {expected[i]:R}, got {a[i]:R}");
        }
    }

    [Fact]
    public void Softmax_Backward_MatchesCentralDifferencesOfFloat64Reference()
    {
        const int Width = 7, Rows = 4;
        float[] z = [.. RandomPoints(3 * Width, 4, seed: 5), 30f, -30f, 0.5f, 29f, -2f, 1f, 0f];
        var da = RandomPoints(Rows * Width, 2, seed: 6);
        var a = new float[z.Length];
        var dz = new float[z.Length];

        Activations.Softmax.Forward(z, a, Width);
        Activations.Softmax.Backward(z, a, da, dz, Width);

        // L(z) = Σ da·softmax(z) per row; dL/dz_j by central differences.
        var zd = z.Select(v => (double)v).ToArray();
        var s = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            int row = i / Width * Width;
            double x = zd[i], h = 1e-5;
            zd[i] = x + h;
            ReferenceSoftmax(zd, s, Width);
            double plus = 0;
            for (int k = 0; k < Width; k++) plus += da[row + k] * s[row + k];
            zd[i] = x - h;
            ReferenceSoftmax(zd, s, Width);
            double minus = 0;
            for (int k = 0; k < Width; k++) minus += da[row + k] * s[row + k];
            zd[i] = x;
            double expected = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(dz[i] - expected) <= 1e-5 * Math.Abs(expected) + 1e-6, $"dsoftmax element {i}: expected {expected:R}, got {dz[i]:R}");
        }
    }

    [Fact]
    public void ReferenceErf_MatchesPublishedValues()
    {
        // Values of math.erf / math.erfc (C library, correctly rounded to within an ulp).
        Assert.Equal(0.5204998778130465, ReferenceMath.Erf(0.5), 1e-15);
        Assert.Equal(0.8427007929497149, ReferenceMath.Erf(1), 1e-15);
        Assert.Equal(-0.9953222650189527, ReferenceMath.Erf(-2), 1e-15);
        Assert.Equal(0.9999764743969194, ReferenceMath.Erf(2.99), 1e-15);
        AssertRelative(2.2090496998585438e-05, ReferenceMath.Erfc(3), 1e-13);
        AssertRelative(7.430983723414128e-07, ReferenceMath.Erfc(3.5), 1e-13);
        AssertRelative(1.5374597944280351e-12, ReferenceMath.Erfc(5), 1e-13);
        AssertRelative(2.088487583762545e-45, ReferenceMath.Erfc(10), 1e-13);
        AssertRelative(2 - 2.2090496998585438e-05, ReferenceMath.Erfc(-3), 1e-15);
    }

    [Fact]
    public void RuntimeErfc_MatchesReference_IntoTheTail()
    {
        for (double x = -6; x <= 20; x += 0.01)
        {
            AssertRelative(ReferenceMath.Erfc(x), Activations.Erfc(x), 1e-13);
            Assert.Equal(ReferenceMath.Erf(x), Activations.Erf(x), 1e-15);
        }
    }

    private static void AssertRelative(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    private static void ReferenceSoftmax(double[] z, double[] a, int width)
    {
        for (int r = 0; r < z.Length; r += width)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < width; j++) max = Math.Max(max, z[r + j]);
            double sum = 0;
            for (int j = 0; j < width; j++) sum += Math.Exp(z[r + j] - max);
            for (int j = 0; j < width; j++) a[r + j] = Math.Exp(z[r + j] - max) / sum;
        }
    }

    /// <summary>Points uniform in ±<paramref name="range"/>, kept at least 1e-3 from 0 so differences never straddle a kink.</summary>
    private static float[] RandomPoints(int count, double range, int seed)
    {
        var random = new Random(seed);
        var points = new float[count];
        for (int i = 0; i < count; i++)
        {
            double x;
            do x = (random.NextDouble() * 2 - 1) * range; while (Math.Abs(x) < 1e-3);
            points[i] = (float)x;
        }
        return points;
    }
}

/// <summary>float64 special functions written for the tests, sharing nothing with the runtime.</summary>
internal static class ReferenceMath
{
    /// <summary>
    /// erf x = (2/√π)·e^(−x²)·Σ_{n≥0} 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) for |x| &lt; 1: every term has x's sign, so the
    /// sum does not cancel. Beyond, 1 − erfc from the continued fraction.
    /// </summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) >= 1) return Math.Sign(x) * (1 - ErfcContinuedFraction(Math.Abs(x)));
        double term = x, sum = x;
        for (int n = 1; n < 500 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    public static double Erfc(double x) => x >= 1 ? ErfcContinuedFraction(x) : x <= -1 ? 2 - ErfcContinuedFraction(-x) : 1 - Erf(x);

    /// <summary>erfc z = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …))))), evaluated from the bottom;
    /// for z ≥ 1, 1000 terms reach float64 precision.</summary>
    private static double ErfcContinuedFraction(double z)
    {
        double f = z;
        for (int n = 1000; n >= 1; n--) f = z + n / 2.0 / f;
        return Math.Exp(-z * z) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>e^x − 1: the Taylor series for |x| &lt; 0.5 (no cancellation), the plain difference beyond.</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) >= 0.5) return Math.Exp(x) - 1;
        double term = x, sum = x;
        for (int n = 2; Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
        {
            term *= x / n;
            sum += term;
        }
        return sum;
    }

    /// <summary>log(1 + u) for 0 ≤ u: the alternating series for u &lt; 0.01, the plain log beyond.</summary>
    public static double Log1P(double u)
    {
        if (u >= 0.01) return Math.Log(1 + u);
        double power = u, sum = 0;
        for (int n = 1; n < 40; n++)
        {
            sum += (n % 2 == 1 ? power : -power) / n;
            power *= u;
        }
        return sum;
    }
}
