namespace Gen;

/// <summary>
/// A stateful metric with Keras 3's semantics: <see cref="Update"/> accumulates over batches,
/// <see cref="Result"/> reads the value so far, <see cref="Reset"/> starts again (at each epoch).
/// </summary>
public abstract class Metric
{
    /// <summary>Keras's name, used in logs and <see cref="History"/> ("accuracy", "mean_absolute_error", ...).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Accumulates one batch. <paramref name="yPred"/> is <c>batch × width</c>; <paramref name="yTrue"/> is
    /// <c>batch × width</c>, or <c>batch × 1</c> for sparse (integer label) metrics; <paramref name="sampleWeight"/>
    /// is empty (all ones) or one weight per sample.
    /// </summary>
    public abstract void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch);

    /// <summary>The metric's value over everything accumulated since the last reset.</summary>
    public abstract float Result();

    /// <summary>Forgets everything accumulated.</summary>
    public abstract void Reset();
}
