namespace Gen;

/// <summary>
/// Keras's <c>Mean</c>-style metric (the base of <c>MeanMetricWrapper</c>): each sample gives one value (the mean
/// over its last axis), multiplied by its sample weight; the result is Σ(value·w) / Σw over everything accumulated,
/// with 0/0 = 0. Metrics divide by the sum of the weights, where losses divide by the batch size.
/// Totals are kept in float64; <see cref="Update"/> allocates nothing.
/// </summary>
public abstract class MeanMetric : Metric
{
    private double _total, _count;

    /// <summary>The number of target values per sample for predictions of the given width.</summary>
    protected virtual int TargetWidth(int predictionWidth) => predictionWidth;

    /// <summary>The value of one sample (already averaged over its last axis), before weighting.</summary>
    protected abstract double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target);

    /// <summary>Σ(value·w) / Σw so far; 0 when Σw is 0 (Keras's divide-no-NaN).</summary>
    protected double WeightedMean => _count == 0 ? 0 : _total / _count;

    public sealed override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        int width = yPred.Length / batch;
        if (width == 0 || yPred.Length != batch * width)
            throw new ArgumentException($"Expected yPred to hold batch × width floats with batch {batch}; got {yPred.Length}.", nameof(yPred));
        int targetWidth = TargetWidth(width);
        if (yTrue.Length != batch * targetWidth)
            throw new ArgumentException($"Expected yTrue to hold {batch} × {targetWidth} = {batch * targetWidth} floats; got {yTrue.Length}.", nameof(yTrue));
        if (!sampleWeight.IsEmpty && sampleWeight.Length != batch)
            throw new ArgumentException($"Expected one sample weight per sample ({batch}); got {sampleWeight.Length}.", nameof(sampleWeight));

        double total = 0, count = 0;
        for (int i = 0; i < batch; i++)
        {
            double w = sampleWeight.IsEmpty ? 1.0 : sampleWeight[i];
            total += SampleValue(yPred.Slice(i * width, width), yTrue.Slice(i * targetWidth, targetWidth)) * w;
            count += w;
        }
        _total += total;
        _count += count;
    }

    public override float Result() => (float)WeightedMean;

    public sealed override void Reset()
    {
        _total = 0;
        _count = 0;
    }
}
