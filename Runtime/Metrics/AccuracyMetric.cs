namespace Gen;

/// <summary>Keras's <c>Accuracy</c>: per sample the fraction of j with ŷ_j == y_j exactly; weighted mean over samples.</summary>
public sealed class AccuracyMetric : MeanMetric
{
    public override string Name => "accuracy";

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        int hits = 0;
        for (int j = 0; j < prediction.Length; j++) if (prediction[j] == target[j]) hits++;
        return (double)hits / prediction.Length;
    }
}
