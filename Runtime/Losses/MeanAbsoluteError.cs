using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's <c>MeanAbsoluteError</c>: per sample, mean over the last axis of |ŷ − y|;
/// d/dŷ_j = sign(ŷ_j − y_j) / width, with sign(0) = 0.
/// </summary>
public sealed class MeanAbsoluteError : Loss
{
    public override string Name => "mean_absolute_error";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        int n = prediction.Length;
        double sum = 0;
        for (int j = 0; j < n; j++) sum += Math.Abs(prediction[j] - target[j]);
        if (!gradient.IsEmpty)
        {
            float scale = 1f / n;
            for (int j = 0; j < n; j++)
            {
                float e = prediction[j] - target[j];
                gradient[j] = e > 0f ? scale : e < 0f ? -scale : 0f;
            }
        }
        return (float)(sum / n);
    }
}
