namespace Gen;

/// <summary>
/// Keras's <c>SparseTopKCategoricalAccuracy(k=5)</c>: per sample 1 when the integer label is among the top k
/// predictions, else 0; weighted mean over samples. <c>yTrue</c> is <c>batch × 1</c>.
/// </summary>
/// <remarks>
/// The top k is decided as in <see cref="TopKCategoricalAccuracyMetric"/>: ties at the k-th value count as in.
/// Keras casts the label to int32, so a fractional label is truncated toward zero (2.7 is class 2); a NaN label or
/// one outside the columns of <c>yPred</c> is a miss, as in TensorFlow's <c>in_top_k</c>.
/// </remarks>
public sealed class SparseTopKCategoricalAccuracyMetric : MeanMetric
{
    public SparseTopKCategoricalAccuracyMetric(int k = 5)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        K = k;
    }

    public int K { get; }

    public override string Name => "sparse_top_k_categorical_accuracy";

    protected override int TargetWidth(int predictionWidth) => 1;

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        float label = target[0];
        if (!(label > -1f && label < prediction.Length)) return 0.0;
        return TopKCategoricalAccuracyMetric.InTopK(prediction, (int)label, K) ? 1.0 : 0.0;
    }
}
