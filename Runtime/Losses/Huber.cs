using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's <c>Huber</c> (PyTorch's <c>HuberLoss</c>, not <c>SmoothL1Loss</c>): with e = ŷ − y, per element
/// 0.5e² where |e| ≤ δ, else δ|e| − 0.5δ²; per sample the mean over the last axis.
/// d/dŷ_j = e / width inside, δ·sign(e) / width outside.
/// </summary>
public sealed class Huber : Loss
{
    public Huber(float delta = 1f)
    {
        if (!(delta > 0f))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Expected a delta > 0.");
        Delta = delta;
    }

    /// <summary>The |error| where the loss turns from quadratic to linear.</summary>
    public float Delta { get; }

    public override string Name => "huber_loss";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        int n = prediction.Length;
        float delta = Delta;
        double halfDeltaSquared = 0.5 * delta * delta;
        double sum = 0;
        for (int j = 0; j < n; j++)
        {
            float e = prediction[j] - target[j];
            float abs = Math.Abs(e);
            sum += abs <= delta ? 0.5 * e * e : (double)delta * abs - halfDeltaSquared;
        }
        if (!gradient.IsEmpty)
        {
            float scale = 1f / n;
            for (int j = 0; j < n; j++)
            {
                float e = prediction[j] - target[j];
                gradient[j] = scale * (Math.Abs(e) <= delta ? e : e > 0f ? delta : -delta);
            }
        }
        return (float)(sum / n);
    }
}
