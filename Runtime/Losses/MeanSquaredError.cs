using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's <c>MeanSquaredError</c>: per sample, mean over the last axis of (ŷ − y)²;
/// d/dŷ_j = 2(ŷ_j − y_j) / width.
/// </summary>
public sealed class MeanSquaredError : Loss
{
    public override string Name => "mean_squared_error";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        int n = prediction.Length;
        double sum = 0;
        for (int j = 0; j < n; j++)
        {
            float e = prediction[j] - target[j];
            sum += (double)e * e;
        }
        if (!gradient.IsEmpty)
        {
            float scale = 2f / n;
            for (int j = 0; j < n; j++) gradient[j] = scale * (prediction[j] - target[j]);
        }
        return (float)(sum / n);
    }
}
