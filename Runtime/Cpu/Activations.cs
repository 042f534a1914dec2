using System.Runtime.CompilerServices;
namespace Gen.Cpu;

/// <summary>
/// Forward and backward passes of the activations, with Keras 3's definitions and constants. Each takes
/// the pre-activation z and the activation a = f(z) of a (rows, width) buffer; backward turns dL/da into
/// dL/dz. Only <see cref="Softmax"/> uses <c>width</c>; the others are element-wise.
/// </summary>
public static class Activations
{
    /// <summary>a = max(z, 0); da/dz = 1 where z &gt; 0.</summary>
    public static class Relu
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = Math.Max(z[i], 0f);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++) dz[i] = z[i] > 0f ? da[i] : 0f;
        }
    }

    /// <summary>a = 1 / (1 + e^−z); da/dz = a(1 − a).</summary>
    public static class Sigmoid
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = Logistic(z[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++) dz[i] = da[i] * a[i] * (1f - a[i]);
        }
    }

    /// <summary>a = tanh(z); da/dz = 1 − a².</summary>
    public static class Tanh
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = MathF.Tanh(z[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++) dz[i] = da[i] * (1f - a[i] * a[i]);
        }
    }

    /// <summary>a_j = e^(z_j − max z) / Σ_k e^(z_k − max z) per row; dz_j = a_j (da_j − Σ_k da_k a_k).</summary>
    public static class Softmax
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int r = 0; r < z.Length; r += width)
            {
                var zr = z.Slice(r, width);
                var ar = a.Slice(r, width);
                float max = float.NegativeInfinity;
                foreach (float v in zr) max = Math.Max(max, v);
                float sum = 0f;
                for (int j = 0; j < width; j++) { ar[j] = MathF.Exp(zr[j] - max); sum += ar[j]; }
                float inv = 1f / sum;
                for (int j = 0; j < width; j++) ar[j] *= inv;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int r = 0; r < z.Length; r += width)
            {
                var ar = a.Slice(r, width);
                var dar = da.Slice(r, width);
                float dot = 0f;
                for (int j = 0; j < width; j++) dot += dar[j] * ar[j];
                var dzr = dz.Slice(r, width);
                for (int j = 0; j < width; j++) dzr[j] = ar[j] * (dar[j] - dot);
            }
        }
    }

    /// <summary>Exact GELU: a = z·Φ(z) = 0.5 z (1 + erf(z/√2)); da/dz = Φ(z) + z·φ(z).</summary>
    public static class Gelu
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = (float)(z[i] * Cdf(z[i]));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++)
            {
                double x = z[i];
                double pdf = Math.Exp(-0.5 * x * x) * 0.39894228040143268;
                dz[i] = (float)(da[i] * (Cdf(x) + x * pdf));
            }
        }

        /// <summary>Φ(x) = ½·erfc(−x/√2): through erfc, so the far negative tail keeps its relative precision (1 + erf would cancel to 0).</summary>
        private static double Cdf(double x) => 0.5 * Erfc(-x * 0.70710678118654752);
    }

    /// <summary>a = z where z &gt; 0, else e^z − 1 (alpha 1, computed as expm1); da/dz = 1 or e^z.</summary>
    public static class Elu
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = z[i] > 0f ? z[i] : ExpM1(z[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++) dz[i] = z[i] > 0f ? da[i] : da[i] * MathF.Exp(z[i]);
        }
    }

    /// <summary>a = λ·z where z &gt; 0, else λ·α(e^z − 1), with Keras's α = 1.67326324, λ = 1.05070098.</summary>
    public static class Selu
    {
        public const float Alpha = 1.6732632423543772f, Scale = 1.0507009873554805f;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = z[i] > 0f ? Scale * z[i] : Scale * Alpha * ExpM1(z[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++) dz[i] = z[i] > 0f ? da[i] * Scale : da[i] * Scale * Alpha * MathF.Exp(z[i]);
        }
    }

    /// <summary>a = log(1 + e^z), computed as max(z, 0) + log1p(e^−|z|); da/dz = sigmoid(z).</summary>
    public static class Softplus
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = (float)(Math.Max(z[i], 0.0) + LogOnePlus(Math.Exp(-Math.Abs((double)z[i]))));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++) dz[i] = da[i] * Logistic(z[i]);
        }
    }

    /// <summary>Swish / SiLU: a = z·σ(z); da/dz = σ(z)(1 + z(1 − σ(z))).</summary>
    public static class Swish
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = z[i] * Logistic(z[i]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++)
            {
                float s = Logistic(z[i]);
                dz[i] = da[i] * s * (1f + z[i] * (1f - s));
            }
        }
    }

    /// <summary>a = z where z ≥ 0, else 0.2·z (Keras's default negative slope).</summary>
    public static class LeakyRelu
    {
        public const float NegativeSlope = 0.2f;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Forward(ReadOnlySpan<float> z, Span<float> a, int width)
        {
            for (int i = 0; i < z.Length; i++) a[i] = z[i] >= 0f ? z[i] : NegativeSlope * z[i];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> da, Span<float> dz, int width)
        {
            for (int i = 0; i < z.Length; i++) dz[i] = z[i] >= 0f ? da[i] : NegativeSlope * da[i];
        }
    }

    /// <summary>σ(z) without overflow for large |z|.</summary>
    public static float Logistic(float z) => z >= 0f ? 1f / (1f + MathF.Exp(-z)) : MathF.Exp(z) / (1f + MathF.Exp(z));

    /// <summary>
    /// e^z − 1 without the cancellation of <c>MathF.Exp(z) − 1</c> near 0 (which loses all digits for |z| ≲ 1e-7):
    /// in float64 the subtraction costs at most 2.2e-16/|z| relatively, negligible for |z| ≥ 1e-5; below that, the series.
    /// </summary>
    internal static float ExpM1(float z)
    {
        double x = z;
        return (float)(Math.Abs(x) < 1e-5 ? x + x * x * (0.5 + x / 6.0) : Math.Exp(x) - 1.0);
    }

    /// <summary>log(1 + u) for u ≥ 0 to full precision even when u is tiny (Goldberg's correction of the rounded 1 + u).</summary>
    internal static double LogOnePlus(double u)
    {
        double onePlus = 1.0 + u;
        return onePlus == 1.0 ? u : Math.Log(onePlus) * u / (onePlus - 1.0);
    }

    /// <summary>erf(x) = 1 − erfc(x); see <see cref="Erfc"/>.</summary>
    public static double Erf(double x)
    {
        double c = ErfcOfAbs(Math.Abs(x));
        return x >= 0 ? 1.0 - c : c - 1.0;
    }

    /// <summary>
    /// erfc(x) from the Chebyshev fit in Numerical Recipes (3rd ed., §6.2.2): relative error below 1e-13 from −6 far into
    /// the right tail (the tests check it to x = 20); for x &lt; 0 it is 2 − erfc(−x).
    /// </summary>
    public static double Erfc(double x) => x >= 0 ? ErfcOfAbs(x) : 2.0 - ErfcOfAbs(-x);

    private static double ErfcOfAbs(double z)
    {
        double t = 2.0 / (2.0 + z);
        double ty = 4.0 * t - 2.0;
        ReadOnlySpan<double> cof =
        [
            -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3,
            -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5,
            -1.624290004647e-6, 1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8,
            6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10,
            9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13,
            -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
        ];
        double d = 0.0, dd = 0.0;
        for (int j = cof.Length - 1; j > 0; j--)
        {
            double tmp = d;
            d = ty * d - dd + cof[j];
            dd = tmp;
        }
        return t * Math.Exp(-z * z + 0.5 * (cof[0] + ty * d) - dd);
    }
}
