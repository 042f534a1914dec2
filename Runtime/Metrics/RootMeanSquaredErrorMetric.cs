namespace Gen;

/// <summary>
/// Keras's <c>RootMeanSquaredError</c>: √(Σ(mse·w) / Σw) over everything accumulated. The root is taken of the
/// weighted mean, not averaged per batch.
/// </summary>
public sealed class RootMeanSquaredErrorMetric : MeanMetric
{
    public override string Name => "root_mean_squared_error";

    protected override double SampleValue(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target) =>
        MeanSquaredErrorMetric.MeanSquaredError(prediction, target);

    public override float Result() => (float)Math.Sqrt(WeightedMean);
}
