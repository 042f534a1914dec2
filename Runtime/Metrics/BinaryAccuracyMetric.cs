namespace Gen;

/// <summary>
/// Keras's <c>BinaryAccuracy</c>: per sample the fraction of j with (ŷ_j &gt; threshold ? 1 : 0) == y_j, a strict
/// comparison, so ŷ equal to the threshold counts as 0; weighted mean over samples.
/// </summary>
public sealed class BinaryAccuracyMetric : MeanMetric
{
    public BinaryAccuracyMetric(float threshold = 0.5f)
    {
        if (float.IsNaN(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be a number.");
        Threshold = threshold;
    }

    public float Threshold { get; }

    public override string Name => "binary_accuracy";

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        float threshold = Threshold;
        int hits = 0;
        for (int j = 0; j < prediction.Length; j++)
        {
            float predicted = prediction[j] > threshold ? 1f : 0f;
            if (predicted == target[j]) hits++;
        }
        return (double)hits / prediction.Length;
    }
}
