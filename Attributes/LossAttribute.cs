using System;

namespace Gen;

/// <summary>The loss functions, with Keras 3's definitions.</summary>
public enum LossKind
{
    /// <summary>mean over the last axis of (y − ŷ)².</summary>
    MeanSquaredError,
    /// <summary>mean over the last axis of |y − ŷ|.</summary>
    MeanAbsoluteError,
    /// <summary>0.5e² where |e| ≤ δ, else δ|e| − 0.5δ²; mean over the last axis.</summary>
    Huber,
    /// <summary>Binary cross-entropy on probabilities (clipped to [1e-7, 1 − 1e-7] in float32) or logits.</summary>
    BinaryCrossentropy,
    /// <summary>Categorical cross-entropy on one-hot targets, on probabilities (renormalised, clipped) or logits.</summary>
    CategoricalCrossentropy,
    /// <summary>Categorical cross-entropy with integer class labels.</summary>
    SparseCategoricalCrossentropy,
}

/// <summary>How per-sample losses are reduced to the loss of a batch (Keras's <c>reduction</c>).</summary>
public enum Reduction
{
    /// <summary>sum(loss·w) / number of samples (Keras's default, "sum_over_batch_size").</summary>
    SumOverBatchSize,
    /// <summary>sum(loss·w).</summary>
    Sum,
    /// <summary>sum(loss·w) / sum(w).</summary>
    MeanWithSampleWeight,
}

/// <summary>The model's loss.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LossAttribute : Attribute
{
    public LossAttribute(LossKind kind) => Kind = kind;

    public LossKind Kind { get; }

    /// <summary>Cross-entropies: the predictions are logits rather than probabilities (default false).</summary>
    public bool FromLogits { get; set; }

    /// <summary>Binary and categorical cross-entropy: label smoothing in [0, 1] (default 0).</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>Huber: the point where the loss turns from quadratic to linear (default 1).</summary>
    public double Delta { get; set; } = 1.0;

    /// <summary>The reduction over the batch (default <see cref="Reduction.SumOverBatchSize"/>).</summary>
    public Reduction Reduction { get; set; } = Reduction.SumOverBatchSize;
}
