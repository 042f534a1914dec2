namespace Gen;

/// <summary>
/// Keras's <c>Precision(thresholds, top_k, class_id)</c>: TP / (TP + FP) over everything accumulated, 0 when nothing
/// was predicted positive. An entry is predicted positive when ŷ &gt; threshold (strict); its label is positive when
/// it is not 0. Each sample's weight applies to every entry of its row.
/// </summary>
/// <remarks>
/// <para>The default threshold is 0.5, or −1e10 when <c>topK</c> is set (so every kept entry counts as predicted
/// positive). Given thresholds must lie in [0, 1]. <see cref="Metric.Result"/> is the first threshold's value and
/// <see cref="ConfusionRatioMetric.Results"/> has one per threshold.</para>
/// <para>With <c>topK</c>, only the k largest predictions of each row can be positive; ties go to the lower index
/// (<c>ops.top_k</c>). With <c>classId</c>, only that column of <c>yPred</c> and <c>yTrue</c> counts; it must be
/// less than the width of <c>yPred</c>, checked at <see cref="ConfusionRatioMetric.Update"/>.</para>
/// <para>At least three thresholds evenly spaced from 0 to 1 take Keras's bucketed path, which differs from ŷ &gt; t
/// only within float32 rounding of a threshold and for ŷ &gt; 1 (Keras's <c>_update_confusion_matrix_variables_optimized</c>).</para>
/// </remarks>
public sealed class PrecisionMetric : ConfusionRatioMetric
{
    public PrecisionMetric(float[]? thresholds = null, int? topK = null, int? classId = null)
        : base(thresholds, topK, classId, precision: true)
    {
    }

    public override string Name => "precision";
}
