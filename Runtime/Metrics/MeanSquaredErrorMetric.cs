namespace Gen;

/// <summary>Keras's <c>MeanSquaredError</c> metric: per sample mean_j (y_j − ŷ_j)², weighted mean over samples.</summary>
public sealed class MeanSquaredErrorMetric : MeanMetric
{
    public override string Name => "mean_squared_error";

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target) =>
        MeanSquaredError(prediction, target);

    internal static double MeanSquaredError(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int j = 0; j < prediction.Length; j++)
        {
            double e = (double)target[j] - prediction[j];
            sum += e * e;
        }
        return sum / prediction.Length;
    }
}
