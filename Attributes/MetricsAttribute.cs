using System;

namespace Gen;

/// <summary>Built-in metrics, with Keras 3's definitions (weighted means over all batches of an epoch).</summary>
public enum MetricKind
{
    MeanAbsoluteError,
    MeanSquaredError,
    RootMeanSquaredError,
    /// <summary>Exact equality of prediction and target.</summary>
    Accuracy,
    /// <summary>(ŷ &gt; 0.5) == y, a strict comparison.</summary>
    BinaryAccuracy,
    /// <summary>argmax(ŷ) == argmax(y).</summary>
    CategoricalAccuracy,
    /// <summary>argmax(ŷ) == y for integer labels.</summary>
    SparseCategoricalAccuracy,
    /// <summary>The one-hot target's class is among the 5 largest predictions.</summary>
    TopKCategoricalAccuracy,
    /// <summary>The integer label is among the 5 largest predictions.</summary>
    SparseTopKCategoricalAccuracy,
    /// <summary>TP / (TP + FP) at threshold 0.5 (ŷ &gt; 0.5 is positive).</summary>
    Precision,
    /// <summary>TP / (TP + FN) at threshold 0.5.</summary>
    Recall,
    /// <summary>Area under the ROC curve, 200 thresholds, trapezoidal.</summary>
    Auc,
}

/// <summary>The metrics reported by <c>Fit</c> and <c>Evaluate</c>, in the order given.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MetricsAttribute : Attribute
{
    public MetricsAttribute(params MetricKind[] metrics) => Metrics = metrics;

    public MetricKind[] Metrics { get; }

    /// <summary>
    /// User-defined metrics: types deriving from <c>Gen.Metric</c> with a public parameterless constructor, reported
    /// after the built-in ones under their <c>Name</c>, and in <c>Evaluate</c>'s result under the type's name.
    /// </summary>
    public Type[] Custom { get; set; } = [];

    /// <summary>The k of <see cref="MetricKind.TopKCategoricalAccuracy"/> and <see cref="MetricKind.SparseTopKCategoricalAccuracy"/> (default 5, as Keras).</summary>
    public int TopK { get; set; } = 5;

    /// <summary>The decision threshold of <see cref="MetricKind.BinaryAccuracy"/>, <see cref="MetricKind.Precision"/> and <see cref="MetricKind.Recall"/> (default 0.5, as Keras).</summary>
    public double Threshold { get; set; } = 0.5;
}
