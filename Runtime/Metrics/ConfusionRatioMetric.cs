using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// What Keras's <c>Precision</c> and <c>Recall</c> share: weighted TP/FP/FN counts at one or more thresholds,
/// accumulated across updates (see <see cref="PrecisionMetric"/> and <see cref="RecallMetric"/> for the options).
/// </summary>
public abstract class ConfusionRatioMetric : Metric
{
    private readonly ThresholdConfusion _counts;
    private readonly float[] _results;
    private readonly bool _precision;

    /// <summary><paramref name="precision"/>: TP / (TP + FP); otherwise recall, TP / (TP + FN).</summary>
    private protected ConfusionRatioMetric(float[]? thresholds, int? topK, int? classId, bool precision)
    {
        _counts = new ThresholdConfusion(thresholds, topK, classId);
        _results = new float[_counts.Thresholds.Length];
        _precision = precision;
    }

    /// <summary>The thresholds in the order given (or the default one), as float32.</summary>
    public ReadOnlySpan<float> Thresholds => _counts.Thresholds;

    public int? TopK => _counts.TopK;

    public int? ClassId => _counts.ClassId;

    /// <summary>The value at each threshold, in the order of <see cref="Thresholds"/>. The span is the metric's own buffer, rewritten at each read.</summary>
    public ReadOnlySpan<float> Results
    {
        get
        {
            _counts.Ratios(_results, _precision);
            return _results;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public sealed override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch) =>
        _counts.Update(yPred, yTrue, sampleWeight, batch);

    public sealed override float Result() => Results[0];

    public sealed override void Reset() => _counts.Reset();
}
