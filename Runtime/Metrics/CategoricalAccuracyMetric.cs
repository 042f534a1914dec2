namespace Gen;

/// <summary>Keras's <c>CategoricalAccuracy</c>: per sample 1 when argmax(ŷ) == argmax(y), else 0; weighted mean over samples.</summary>
public sealed class CategoricalAccuracyMetric : MeanMetric
{
    public override string Name => "categorical_accuracy";

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target) =>
        ArgMax(prediction) == ArgMax(target) ? 1.0 : 0.0;

    /// <summary>numpy's argmax: the first index of the largest value, or of the first NaN.</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int j = 0; j < values.Length; j++)
        {
            if (float.IsNaN(values[j])) return j;
            if (values[j] > values[best]) best = j;
        }
        return best;
    }
}
