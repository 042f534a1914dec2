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

    /// <summary>The optimizer that updates the parameters; its learning rate can be changed between steps.</summary>
    Optimizer Optimizer { get; }

    /// <summary>The number of trainable weights: the model's parameter arena, layer by layer, kernel then bias.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// The number of values training updates but the optimizer does not (Keras's non-trainable variables, such as
    /// BatchNormalization's moving statistics); 0 when the model has none. Part of the weights callbacks store and restore.
    /// </summary>
    int StateCount => 0;

    // Weights cross the model boundary by copies, never as live views of its buffers: a backend may keep them on a device.

    /// <summary>Copies the trainable weights into <paramref name="destination"/> of <see cref="ParameterCount"/> floats.</summary>
    void CopyParametersTo(Span<float> destination);

    /// <summary>Overwrites the trainable weights with <paramref name="values"/> of <see cref="ParameterCount"/> floats.</summary>
    void SetParameters(ReadOnlySpan<float> values);

    /// <summary>Copies the non-trainable state into <paramref name="destination"/> of <see cref="StateCount"/> floats.</summary>
    void CopyStateTo(Span<float> destination) => CheckEmpty(destination.Length, nameof(destination));

    /// <summary>Overwrites the non-trainable state with <paramref name="values"/> of <see cref="StateCount"/> floats.</summary>
    void SetState(ReadOnlySpan<float> values) => CheckEmpty(values.Length, nameof(values));

    /// <summary>Copies the gradients the last <see cref="ComputeGradients"/> left (same layout as the parameters).</summary>
    void CopyGradientsTo(Span<float> destination);

    /// <summary>Overwrites the gradients that <see cref="ApplyGradients"/> applies (a custom loop's own gradients).</summary>
    void SetGradients(ReadOnlySpan<float> values);

    /// <summary>Keras's finalize_variable_values at the end of fit: with an EMA, the weights become their moving average.</summary>
    void FinalizeWeights();

    private static void CheckEmpty(int length, string paramName)
    {
        if (length != 0) throw new ArgumentException($"Expected 0 floats: the model has no state; got {length}.", paramName);
    }

    /// <summary>Fresh instances of the model's metrics, in the order they were declared.</summary>
    Metric[] CreateMetrics();

    /// <summary>
    /// Runs the forward pass in training mode, the loss and the backward pass on one batch, and
    /// overwrites the gradients. Returns the batch loss. For custom loops: x and y are side-by-side rows (each
    /// sample's inputs, and each output's targets, next to each other), as users hold them.
    /// Does not update the parameters.
    /// </summary>
    float ComputeGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch);

    /// <summary>Runs the forward pass in inference mode on one batch, part by part (<see cref="InputWidths"/>); <see cref="ReadOutput"/> copies the predictions.</summary>
    void Forward(ReadOnlySpan<float> x, int batch);

    /// <summary>
    /// Applies the gradients to the parameters with <see cref="Optimizer"/>: the second half of a training step, after
    /// <see cref="ComputeGradients"/> (or after a custom loop set the gradients).
    /// </summary>
    void ApplyGradients();

    /// <summary>
    /// The width of each input, in order (one: <see cref="InputSize"/>). <see cref="TrainStep"/>, <see cref="TestStep"/> and
    /// <see cref="Forward"/> take batches part by part: input k's block of <c>batch × InputWidths[k]</c> floats, row-major,
    /// after the blocks before it. With one input that is the usual row-major batch.
    /// </summary>
    ReadOnlySpan<int> InputWidths { get; }

    /// <summary>The target width of each output, in order (one: <see cref="TargetSize"/>); targets come part by part as inputs do.</summary>
    ReadOnlySpan<int> TargetWidths { get; }

    /// <summary>The prediction width of each output, in order (one: <see cref="OutputSize"/>).</summary>
    ReadOnlySpan<int> OutputWidths { get; }

    /// <summary>
    /// One training step, owned by the model: the forward pass in training mode, each output's loss on its own predictions,
    /// the backward pass and the optimizer's update (clipping, decay, EMA and accumulation included). Adds the batch's loss,
    /// weighted by its size, to <see cref="RunningLoss"/>, and updates <paramref name="metrics"/> (from
    /// <see cref="CreateMetrics"/>) on the step's forward pass, before the update, as Keras does. Batches are part by part
    /// (<see cref="InputWidths"/>, <see cref="TargetWidths"/>) and already checked for values; sizes are checked here.
    /// </summary>
    void TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch, ReadOnlySpan<Metric> metrics);

    /// <summary>One inference step (Keras's evaluate): the forward pass, the loss added to <see cref="RunningLoss"/> and the metrics; no update.</summary>
    void TestStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch, ReadOnlySpan<Metric> metrics);

    /// <summary>The mean of the batch losses since <see cref="ResetRunningLoss"/>, weighted by batch size (0 before any step). Read when a log needs it.</summary>
    float RunningLoss { get; }

    /// <summary>Starts a new running loss (each epoch, each evaluation).</summary>
    void ResetRunningLoss();

    /// <summary>Copies the predictions of the last forward pass, part by part (<see cref="OutputWidths"/>), into <paramref name="predictions"/> of <c>batch × OutputSize</c> floats.</summary>
    void ReadOutput(Span<float> predictions);
}
