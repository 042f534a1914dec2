namespace Gen;

/// <summary>
/// Keras's <c>TopKCategoricalAccuracy(k=5)</c>: per sample 1 when the true class, argmax(y) (first index on ties), is
/// among the top k predictions, else 0; weighted mean over samples.
/// </summary>
/// <remarks>
/// "Among the top k" is Keras 3's <c>ops.in_top_k</c>: fewer than k predictions are strictly larger than the true
/// class's. Ties at the k-th value therefore all count as in the top k, so more than k classes can qualify; this is
/// TensorFlow's <c>in_top_k</c> and the JAX and PyTorch backends' <c>target ≥ k-th largest value</c>, and unlike
/// <c>ops.top_k</c>, which would keep only the lower indices. A NaN prediction for the true class is a miss; NaN
/// predictions elsewhere rank below it. (TensorFlow also answers "miss" when the true class's prediction is ±∞;
/// here, as in JAX, ∞ compares like any number.) With k at least the width every non-NaN prediction is a hit.
/// </remarks>
public sealed class TopKCategoricalAccuracyMetric : MeanMetric
{
    public TopKCategoricalAccuracyMetric(int k = 5)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        K = k;
    }

    public int K { get; }

    public override string Name => "top_k_categorical_accuracy";

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target) =>
        InTopK(prediction, CategoricalAccuracyMetric.ArgMax(target), K) ? 1.0 : 0.0;

    /// <summary>Keras's <c>ops.in_top_k</c> for one row: fewer than k entries are strictly larger than the target's.</summary>
    internal static bool InTopK(ReadOnlySpan<float> prediction, int target, int k)
    {
        float score = prediction[target];
        if (float.IsNaN(score)) return false;
        int larger = 0;
        foreach (float value in prediction)
        {
            if (value > score && ++larger >= k) return false;
        }
        return true;
    }
}
