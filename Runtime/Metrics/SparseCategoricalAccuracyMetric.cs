namespace Gen;

/// <summary>
/// Keras's <c>SparseCategoricalAccuracy</c>: per sample 1 when argmax(ŷ) equals the label, else 0; weighted mean over
/// samples. <c>yTrue</c> is <c>batch × 1</c> and holds each label as a float (a non-integral label never matches).
/// </summary>
public sealed class SparseCategoricalAccuracyMetric : MeanMetric
{
    public override string Name => "sparse_categorical_accuracy";

    protected override int TargetWidth(int predictionWidth) => 1;

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target) =>
        CategoricalAccuracyMetric.ArgMax(prediction) == target[0] ? 1.0 : 0.0;
}
