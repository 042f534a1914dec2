namespace Gen;

/// <summary>
/// What a generated model exposes to the runtime's training loops. The generator implements it on every
/// model class with sizes baked in as constants; <see cref="Trainer"/> drives it. Buffers are row-major:
/// a batch of <c>n</c> samples is <c>n × InputSize</c> floats, predictions <c>n × OutputSize</c>, targets
/// <c>n × TargetSize</c> (class labels are stored as floats holding whole numbers).
/// </summary>
public interface IModel
{
    /// <summary>The number of features of one sample (the product of the input shape).</summary>
    int InputSize { get; }

    /// <summary>The number of predictions for one sample.</summary>
    int OutputSize { get; }

    /// <summary>
    /// The number of target values for one sample: 1 for class labels, else <see cref="OutputSize"/>; for a
    /// multi-output model (<see cref="Loss"/> a <see cref="MultiOutputLoss"/>), the heads' target widths summed.
    /// </summary>
    int TargetSize { get; }

    /// <summary>
    /// Whether targets are integer class labels in [0, OutputSize) (sparse categorical losses). A multi-output model's
    /// heads say this each (<see cref="OutputHead.Sparse"/>).
    /// </summary>
    bool SparseTargets { get; }

    /// <summary>The loss the model was compiled with.</summary>
    Loss Loss { get; }

    /// <summary>
    /// Checks the class labels in <paramref name="y"/> (rows of <see cref="TargetSize"/>): each sparse head's of a
    /// <see cref="MultiOutputLoss"/>, or all of them when <see cref="SparseTargets"/>. Throws an
    /// <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/>, the row, the range and the label.
    /// </summary>
    void CheckTargets(ReadOnlySpan<float> y, string paramName, string name)
    {
        if (Loss is MultiOutputLoss multiOutput) multiOutput.CheckTargets(y, paramName, name);
        else if (SparseTargets) DataChecks.CheckLabels(y, OutputSize, paramName, name);
    }

    /// <summary>The optimizer that updates <see cref="Parameters"/>; its learning rate can be changed between steps.</summary>
    Optimizer Optimizer { get; }

    /// <summary>Every trainable weight, in one flat arena (layer by layer; kernel then bias).</summary>
    Span<float> Parameters { get; }

    /// <summary>
    /// What training updates but the optimizer does not (Keras's non-trainable variables, such as BatchNormalization's
    /// moving statistics), in one flat buffer; empty when the model has none. Part of the weights that callbacks
    /// store and restore.
    /// </summary>
    Span<float> State => Span<float>.Empty;

    /// <summary>The gradient of the loss for each entry of <see cref="Parameters"/>, same layout.</summary>
    Span<float> Gradients { get; }

    /// <summary>Fresh instances of the model's metrics, in the order they were declared.</summary>
    Metric[] CreateMetrics();

    /// <summary>
    /// Runs the forward pass in training mode, the loss and the backward pass on one batch, and
    /// overwrites <see cref="Gradients"/>. Returns the batch loss. Leaves the predictions in <see cref="Output"/>.
    /// Does not update the parameters.
    /// </summary>
    float ComputeGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch);

    /// <summary>Runs the forward pass in inference mode on one batch; the predictions are left in <see cref="Output"/>.</summary>
    void Forward(ReadOnlySpan<float> x, int batch);

    /// <summary>
    /// Applies <see cref="Gradients"/> to <see cref="Parameters"/> with <see cref="Optimizer"/>: the second half of a
    /// training step, after <see cref="ComputeGradients"/> (or after a custom loop wrote the gradients).
    /// </summary>
    void ApplyGradients() => Optimizer.Apply(Parameters, Gradients);

    /// <summary>The predictions of the last forward pass: <c>batch × OutputSize</c> floats. Valid until the next call.</summary>
    ReadOnlySpan<float> Output { get; }
}
