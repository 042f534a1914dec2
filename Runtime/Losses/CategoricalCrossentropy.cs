using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's <c>CategoricalCrossentropy</c> on one-hot (or soft) targets, with the target smoothed to
/// y' = y(1 − ls) + ls/C over the C classes of the last axis. Per sample:
/// <list type="bullet">
/// <item>Probabilities: q = p / Σp (the row is renormalised first), q' = clip(q, ε, 1 − ε) in float32,
/// loss −Σ y'_j log q'_j. With a_j = −y'_j/q_j where the clip is inactive (else 0) and T = Σ of y'_j over
/// those classes, d/dp_k = (a_k + T) / Σp.</item>
/// <item>Logits: −Σ y'_j log_softmax(x)_j; d/dx_k = softmax(x)_k·Σy' − y'_k.</item>
/// </list>
/// </summary>
public sealed class CategoricalCrossentropy : Loss
{
    public CategoricalCrossentropy(bool fromLogits = false, float labelSmoothing = 0f)
    {
        FromLogits = fromLogits;
        LabelSmoothing = Crossentropy.ValidateLabelSmoothing(labelSmoothing, nameof(labelSmoothing));
    }

    /// <summary>Whether the predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing ls in [0, 1].</summary>
    public float LabelSmoothing { get; }

    public override string Name => "categorical_crossentropy";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        float keep = 1f - LabelSmoothing, shift = LabelSmoothing / prediction.Length;
        return FromLogits ? FromLogitsLoss(prediction, target, gradient, keep, shift) : FromProbabilitiesLoss(prediction, target, gradient, keep, shift);
    }

    private static float FromProbabilitiesLoss(ReadOnlySpan<float> p, ReadOnlySpan<float> target, Span<float> gradient, float keep, float shift)
    {
        int c = p.Length;
        double rowSum = 0;
        for (int j = 0; j < c; j++) rowSum += p[j];
        float s = (float)rowSum;

        double loss = 0, inside = 0;
        for (int j = 0; j < c; j++)
        {
            float q = p[j] / s;
            float clipped = Math.Clamp(q, Crossentropy.Epsilon, Crossentropy.OneMinusEpsilon);
            float y = target[j] * keep + shift;
            loss -= y * Math.Log(clipped);
            if (q >= Crossentropy.Epsilon && q <= Crossentropy.OneMinusEpsilon) inside += y;
        }
        if (!gradient.IsEmpty)
        {
            double invS = 1.0 / s;
            for (int j = 0; j < c; j++)
            {
                float q = p[j] / s;
                float y = target[j] * keep + shift;
                double a = q >= Crossentropy.Epsilon && q <= Crossentropy.OneMinusEpsilon ? -y / (double)q : 0.0;
                gradient[j] = (float)((a + inside) * invS);
            }
        }
        return (float)loss;
    }

    private static float FromLogitsLoss(ReadOnlySpan<float> x, ReadOnlySpan<float> target, Span<float> gradient, float keep, float shift)
    {
        int c = x.Length;
        float max = float.NegativeInfinity;
        for (int j = 0; j < c; j++) max = Math.Max(max, x[j]);
        double expSum = 0;
        for (int j = 0; j < c; j++) expSum += Math.Exp(x[j] - max);
        double logSumExp = max + Math.Log(expSum);

        // −Σ y'_j (x_j − lse), as a sum of terms ≥ 0 for targets ≥ 0.
        double loss = 0, targetSum = 0;
        for (int j = 0; j < c; j++)
        {
            float y = target[j] * keep + shift;
            targetSum += y;
            loss += y * (logSumExp - x[j]);
        }
        if (!gradient.IsEmpty)
        {
            for (int j = 0; j < c; j++)
            {
                float y = target[j] * keep + shift;
                gradient[j] = (float)(Math.Exp(x[j] - logSumExp) * targetSum - y);
            }
        }
        return (float)loss;
    }
}
