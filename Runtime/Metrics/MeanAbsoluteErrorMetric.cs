namespace Gen;

/// <summary>Keras's <c>MeanAbsoluteError</c> metric: per sample mean_j |y_j − ŷ_j|, weighted mean over samples.</summary>
public sealed class MeanAbsoluteErrorMetric : MeanMetric
{
    public override string Name => "mean_absolute_error";

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int j = 0; j < prediction.Length; j++) sum += Math.Abs((double)target[j] - prediction[j]);
        return sum / prediction.Length;
    }
}
