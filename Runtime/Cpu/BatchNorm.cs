using System.Runtime.CompilerServices;

namespace Gen.Cpu;

/// <summary>
/// Keras's BatchNormalization over the last axis: x (N, C) -> y (N, C), where C is the number of features and
/// N every other dimension flattened. Statistics are per feature, summed in float64 and stored as float.
/// <para>
/// <c>center = false</c> is an empty <c>beta</c> (β = 0, no dβ); <c>scale = false</c> is an empty <c>gamma</c>
/// (γ = 1, no dγ). Sums over the rows run in row order, so results do not depend on threading or hardware.
/// </para>
/// </summary>
public static class BatchNorm
{
    /// <summary>Keras's defaults.</summary>
    public const float DefaultMomentum = 0.99f, DefaultEpsilon = 1e-3f;

    /// <summary>Features handled per pass over the rows; sized so the float64 sums live on the stack.</summary>
    private const int Block = 128;

    /// <summary>
    /// Floats the training cache holds: x̂ (N, C) = (x − μ)/√(σ² + ε), then 1/√(σ² + ε) (C).
    /// <see cref="TrainingForward"/> writes it and <see cref="Backward"/> reads it; the caller owns it in between.
    /// </summary>
    public static int CacheSize(int rows, int features) => rows * features + features;

    /// <summary>
    /// Training: μ = mean over rows, σ² = biased variance (Σ(x − μ)²/N); y = (x − μ)/√(σ² + ε)·γ + β (overwrites);
    /// moving = moving·momentum + stat·(1 − momentum) for the mean and the same biased variance (in place);
    /// <paramref name="cache"/> (<see cref="CacheSize"/>) receives x̂ and 1/√(σ² + ε).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TrainingForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> movingMean, Span<float> movingVariance,
        Span<float> y, Span<float> cache, int rows, int features, float momentum = DefaultMomentum, float epsilon = DefaultEpsilon)
    {
        Check(x.Length, y.Length, gamma.Length, beta.Length, movingMean.Length, movingVariance.Length, rows, features, epsilon);
        if (rows < 1) throw new ArgumentException($"Expected at least one row for batch statistics; got {rows}.", nameof(rows));
        if (cache.Length < CacheSize(rows, features)) throw new ArgumentException($"Expected the cache to hold at least {CacheSize(rows, features)} floats; got {cache.Length}.", nameof(cache));
        var xHat = cache[..(rows * features)];
        var invStd = cache.Slice(rows * features, features);
        Span<double> mean = stackalloc double[Block];
        Span<double> sum = stackalloc double[Block];
        for (int c0 = 0; c0 < features; c0 += Block)
        {
            int width = Math.Min(Block, features - c0);
            // Two passes (mean, then squared deviations) so large offsets do not cancel the variance away.
            var m = mean[..width];
            var s = sum[..width];
            s.Clear();
            for (int r = 0; r < rows; r++)
            {
                var xr = x.Slice(r * features + c0, width);
                for (int j = 0; j < width; j++) s[j] += xr[j];
            }
            for (int j = 0; j < width; j++) m[j] = s[j] / rows;
            s.Clear();
            for (int r = 0; r < rows; r++)
            {
                var xr = x.Slice(r * features + c0, width);
                for (int j = 0; j < width; j++)
                {
                    double d = xr[j] - m[j];
                    s[j] += d * d;
                }
            }
            for (int j = 0; j < width; j++)
            {
                int c = c0 + j;
                double variance = s[j] / rows;
                invStd[c] = (float)(1.0 / Math.Sqrt(variance + epsilon));
                movingMean[c] = movingMean[c] * momentum + (float)m[j] * (1f - momentum);
                movingVariance[c] = movingVariance[c] * momentum + (float)variance * (1f - momentum);
            }
            for (int r = 0; r < rows; r++)
            {
                int o = r * features + c0;
                var xr = x.Slice(o, width);
                var hr = xHat.Slice(o, width);
                var yr = y.Slice(o, width);
                for (int j = 0; j < width; j++)
                {
                    int c = c0 + j;
                    float h = (float)((xr[j] - m[j]) * invStd[c]);
                    hr[j] = h;
                    yr[j] = Affine(h, gamma, beta, c);
                }
            }
        }
    }

    /// <summary>Inference (or a frozen layer): y = (x − moving_mean)/√(moving_variance + ε)·γ + β (overwrites).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InferenceForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> movingMean, ReadOnlySpan<float> movingVariance,
        Span<float> y, int rows, int features, float epsilon = DefaultEpsilon)
    {
        Check(x.Length, y.Length, gamma.Length, beta.Length, movingMean.Length, movingVariance.Length, rows, features, epsilon);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * features, features);
            var yr = y.Slice(r * features, features);
            for (int c = 0; c < features; c++)
            {
                float h = (float)((xr[c] - (double)movingMean[c]) / Math.Sqrt((double)movingVariance[c] + epsilon));
                yr[c] = Affine(h, gamma, beta, c);
            }
        }
    }

    /// <summary>
    /// Gradients through the batch statistics, from the cache of <see cref="TrainingForward"/>:
    /// dβ = Σ_rows dy, dγ = Σ_rows dy·x̂ (each overwrites, skipped when empty), and
    /// dx = γ·invstd/N·(N·dy − Σdy − x̂·Σ(dy·x̂)) (overwrites). An empty <paramref name="dx"/> means the input needs
    /// no gradient (the model's first layer): only dγ and dβ are computed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> cache, Span<float> dx, Span<float> dGamma, Span<float> dBeta, int rows, int features)
    {
        CheckSize(dy.Length, rows * features, nameof(dy));
        if (!dx.IsEmpty) CheckSize(dx.Length, rows * features, nameof(dx));
        if (cache.Length < CacheSize(rows, features)) throw new ArgumentException($"Expected the cache to hold at least {CacheSize(rows, features)} floats; got {cache.Length}.", nameof(cache));
        CheckOptional(gamma.Length, features, nameof(gamma));
        CheckOptional(dGamma.Length, gamma.IsEmpty ? 0 : features, nameof(dGamma));
        CheckOptional(dBeta.Length, features, nameof(dBeta));
        var xHat = cache[..(rows * features)];
        var invStd = cache.Slice(rows * features, features);
        Span<double> sumDy = stackalloc double[Block];
        Span<double> sumDyXHat = stackalloc double[Block];
        for (int c0 = 0; c0 < features; c0 += Block)
        {
            int width = Math.Min(Block, features - c0);
            var s = sumDy[..width];
            var t = sumDyXHat[..width];
            s.Clear();
            t.Clear();
            for (int r = 0; r < rows; r++)
            {
                int o = r * features + c0;
                var gr = dy.Slice(o, width);
                var hr = xHat.Slice(o, width);
                for (int j = 0; j < width; j++)
                {
                    s[j] += gr[j];
                    t[j] += (double)gr[j] * hr[j];
                }
            }
            for (int j = 0; j < width; j++)
            {
                if (!dBeta.IsEmpty) dBeta[c0 + j] = (float)s[j];
                if (!dGamma.IsEmpty) dGamma[c0 + j] = (float)t[j];
            }
            if (dx.IsEmpty) continue;
            for (int r = 0; r < rows; r++)
            {
                int o = r * features + c0;
                var gr = dy.Slice(o, width);
                var hr = xHat.Slice(o, width);
                var dr = dx.Slice(o, width);
                for (int j = 0; j < width; j++)
                {
                    int c = c0 + j;
                    double g = gamma.IsEmpty ? 1.0 : gamma[c];
                    dr[j] = (float)(g * invStd[c] / rows * (rows * (double)gr[j] - s[j] - hr[j] * t[j]));
                }
            }
        }
    }

    /// <summary>
    /// Gradients of <see cref="InferenceForward"/>, where the moving statistics are constants (a layer called with
    /// training = false, or frozen): with x̂ = (x − moving_mean)/√(moving_variance + ε),
    /// dx = dy·γ/√(moving_variance + ε), dγ = Σ_rows dy·x̂, dβ = Σ_rows dy (each overwrites; dγ and dβ skipped when empty).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InferenceBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> movingMean, ReadOnlySpan<float> movingVariance,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta, int rows, int features, float epsilon = DefaultEpsilon)
    {
        Check(x.Length, dx.Length, gamma.Length, 0, movingMean.Length, movingVariance.Length, rows, features, epsilon, nameof(dx));
        CheckSize(dy.Length, rows * features, nameof(dy));
        CheckOptional(dGamma.Length, features, nameof(dGamma));
        CheckOptional(dBeta.Length, features, nameof(dBeta));
        Span<double> sumDy = stackalloc double[Block];
        Span<double> sumDyXHat = stackalloc double[Block];
        for (int c0 = 0; c0 < features; c0 += Block)
        {
            int width = Math.Min(Block, features - c0);
            var s = sumDy[..width];
            var t = sumDyXHat[..width];
            s.Clear();
            t.Clear();
            for (int r = 0; r < rows; r++)
            {
                int o = r * features + c0;
                var xr = x.Slice(o, width);
                var gr = dy.Slice(o, width);
                var dr = dx.Slice(o, width);
                for (int j = 0; j < width; j++)
                {
                    int c = c0 + j;
                    double invStd = 1.0 / Math.Sqrt((double)movingVariance[c] + epsilon);
                    double g = gamma.IsEmpty ? 1.0 : gamma[c];
                    dr[j] = (float)(gr[j] * g * invStd);
                    s[j] += gr[j];
                    t[j] += gr[j] * ((xr[j] - (double)movingMean[c]) * invStd);
                }
            }
            for (int j = 0; j < width; j++)
            {
                if (!dBeta.IsEmpty) dBeta[c0 + j] = (float)s[j];
                if (!dGamma.IsEmpty) dGamma[c0 + j] = (float)t[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Affine(float h, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int c)
    {
        float scaled = gamma.IsEmpty ? h : h * gamma[c];
        return beta.IsEmpty ? scaled : scaled + beta[c];
    }

    private static void Check(int xLength, int yLength, int gammaLength, int betaLength, int meanLength, int varianceLength, int rows, int features, float epsilon, string yName = "y")
    {
        if (rows < 0) throw new ArgumentException($"Expected a non-negative row count; got {rows}.", nameof(rows));
        if (features < 1) throw new ArgumentException($"Expected at least one feature; got {features}.", nameof(features));
        if (!(epsilon > 0f)) throw new ArgumentException($"Expected a positive epsilon; got {epsilon}.", nameof(epsilon));
        CheckSize(xLength, rows * features, "x");
        CheckSize(yLength, rows * features, yName);
        CheckOptional(gammaLength, features, "gamma");
        CheckOptional(betaLength, features, "beta");
        CheckSize(meanLength, features, "movingMean");
        CheckSize(varianceLength, features, "movingVariance");
    }

    private static void CheckSize(int length, int expected, string name)
    {
        if (length < expected) throw new ArgumentException($"Expected {name} to hold at least {expected} floats; got {length}.", name);
    }

    private static void CheckOptional(int length, int expected, string name)
    {
        if (length != 0 && length != expected) throw new ArgumentException($"Expected {name} to hold {expected} floats, or none; got {length}.", name);
    }
}
