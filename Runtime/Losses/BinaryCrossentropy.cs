using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's <c>BinaryCrossentropy</c>, per sample the mean over the last axis of the element losses, with the
/// target smoothed to y' = y(1 − ls) + 0.5·ls.
/// Probabilities: p' = clip(p, ε, 1 − ε) in float32; −[y' log p' + (1 − y') log(1 − p')];
/// d/dp = −y'/p' + (1 − y')/(1 − p') where the clip is inactive, 0 where it is active.
/// Logits: max(x, 0) − x·y' + log(1 + e^−|x|); d/dx = σ(x) − y'.
/// </summary>
public sealed class BinaryCrossentropy : Loss
{
    public BinaryCrossentropy(bool fromLogits = false, float labelSmoothing = 0f)
    {
        FromLogits = fromLogits;
        LabelSmoothing = Crossentropy.ValidateLabelSmoothing(labelSmoothing, nameof(labelSmoothing));
    }

    /// <summary>Whether the predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing ls in [0, 1].</summary>
    public float LabelSmoothing { get; }

    public override string Name => "binary_crossentropy";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        int n = prediction.Length;
        float keep = 1f - LabelSmoothing, shift = 0.5f * LabelSmoothing;
        bool wantGradient = !gradient.IsEmpty;
        float scale = 1f / n;
        double sum = 0;
        if (FromLogits)
        {
            for (int j = 0; j < n; j++)
            {
                float x = prediction[j];
                float y = target[j] * keep + shift;
                double e = Math.Exp(-Math.Abs((double)x));
                sum += Math.Max(x, 0f) - (double)x * y + Crossentropy.Log1P(e);
                if (wantGradient)
                {
                    // σ(x) from e = e^−|x|, stable on both sides.
                    double sigmoid = x >= 0f ? 1.0 / (1.0 + e) : e / (1.0 + e);
                    gradient[j] = (float)((sigmoid - y) * scale);
                }
            }
        }
        else
        {
            for (int j = 0; j < n; j++)
            {
                float raw = prediction[j];
                float p = Math.Clamp(raw, Crossentropy.Epsilon, Crossentropy.OneMinusEpsilon);
                float q = 1f - p;
                float y = target[j] * keep + shift;
                float notY = 1f - y;
                sum -= y * Math.Log(p) + notY * Math.Log(q);
                if (wantGradient)
                {
                    bool clipped = !(raw >= Crossentropy.Epsilon && raw <= Crossentropy.OneMinusEpsilon);
                    gradient[j] = clipped ? 0f : (float)((notY / (double)q - y / (double)p) * scale);
                }
            }
        }
        return (float)(sum / n);
    }
}
