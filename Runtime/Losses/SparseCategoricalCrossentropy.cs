using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's <c>SparseCategoricalCrossentropy</c>: categorical cross-entropy on the one-hot encoding of an integer
/// class label k (one float per sample), including the renormalisation and the clip of probabilities.
/// Probabilities: q = p / Σp, loss −log clip(q_k, ε, 1 − ε); d/dp_j = (1 − [j = k]/q_k) / Σp where the clip is
/// inactive, 0 where it is active. Logits: loss log Σ e^x − x_k; d/dx_j = softmax(x)_j − [j = k].
/// With <see cref="IgnoreClass"/>, samples whose label is that class have loss 0 and gradient 0, and the mean
/// reductions run over the other samples (Keras's mask).
/// </summary>
public sealed class SparseCategoricalCrossentropy : Loss
{
    public SparseCategoricalCrossentropy(bool fromLogits = false, int? ignoreClass = null)
    {
        FromLogits = fromLogits;
        IgnoreClass = ignoreClass;
    }

    /// <summary>Whether the predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; }

    /// <summary>The label that marks samples to leave out of the loss (often −1 or 255), or null.</summary>
    public int? IgnoreClass { get; }

    public override string Name => "sparse_categorical_crossentropy";

    public override int TargetWidth(int predictionWidth) => 1;

    protected override bool IsMasked(ReadOnlySpan<float> target) => IgnoreClass is int ignored && target[0] == ignored;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        int c = prediction.Length;
        float label = target[0];
        if (!(label >= 0f && label < c) || label != MathF.Floor(label))
            throw new ArgumentException($"Expected a class label that is a whole number in [0, {c}); got {label}.", "yTrue");
        int k = (int)label;
        return FromLogits ? FromLogitsLoss(prediction, k, gradient) : FromProbabilitiesLoss(prediction, k, gradient);
    }

    private static float FromProbabilitiesLoss(ReadOnlySpan<float> p, int k, Span<float> gradient)
    {
        double rowSum = 0;
        for (int j = 0; j < p.Length; j++) rowSum += p[j];
        float s = (float)rowSum;
        float q = p[k] / s;
        float clipped = Math.Clamp(q, Crossentropy.Epsilon, Crossentropy.OneMinusEpsilon);
        if (!gradient.IsEmpty)
        {
            if (q >= Crossentropy.Epsilon && q <= Crossentropy.OneMinusEpsilon)
            {
                float others = (float)(1.0 / s);
                gradient.Fill(others);
                gradient[k] = (float)((1.0 - 1.0 / q) / s);
            }
            else
            {
                gradient.Clear();
            }
        }
        return (float)-Math.Log(clipped);
    }

    private static float FromLogitsLoss(ReadOnlySpan<float> x, int k, Span<float> gradient)
    {
        float max = float.NegativeInfinity;
        for (int j = 0; j < x.Length; j++) max = Math.Max(max, x[j]);
        double expSum = 0;
        for (int j = 0; j < x.Length; j++) expSum += Math.Exp(x[j] - max);
        double logSumExp = max + Math.Log(expSum);
        if (!gradient.IsEmpty)
        {
            for (int j = 0; j < x.Length; j++) gradient[j] = (float)(Math.Exp(x[j] - logSumExp) - (j == k ? 1.0 : 0.0));
        }
        return (float)(logSumExp - x[k]);
    }
}
