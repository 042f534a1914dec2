namespace Gen;

/// <summary>
/// One output of a multi-output model (one of Keras's named outputs): its loss, its loss weight, and where its
/// columns sit in the model's rows. A multi-output model's prediction row is the heads' predictions side by side,
/// <c>[head0 (w0) | head1 (w1) | …]</c>, and its target row the heads' targets side by side, each
/// <see cref="TargetWidth"/> wide (1 for class labels). Immutable.
/// </summary>
public sealed class OutputHead
{
    public OutputHead(string name, Loss loss, float weight, int outputOffset, int outputWidth, int targetOffset)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(loss);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"Expected an output name that is not empty or white space; got \"{name}\".", nameof(name));
        if (loss is MultiOutputLoss)
            throw new ArgumentException($"Expected the loss of the single output \"{name}\"; got a {nameof(MultiOutputLoss)}.", nameof(loss));
        if (!(float.IsFinite(weight) && weight >= 0))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"Expected a finite loss weight >= 0 for output \"{name}\"; got {weight}.");
        if (outputOffset < 0)
            throw new ArgumentOutOfRangeException(nameof(outputOffset), outputOffset, $"Expected a non-negative output offset for output \"{name}\"; got {outputOffset}.");
        if (outputWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(outputWidth), outputWidth, $"Expected an output width of at least 1 for output \"{name}\"; got {outputWidth}.");
        if (targetOffset < 0)
            throw new ArgumentOutOfRangeException(nameof(targetOffset), targetOffset, $"Expected a non-negative target offset for output \"{name}\"; got {targetOffset}.");
        Name = name;
        Loss = loss;
        Weight = weight;
        OutputOffset = outputOffset;
        OutputWidth = outputWidth;
        TargetOffset = targetOffset;
        TargetWidth = loss.TargetWidth(outputWidth);
    }

    /// <summary>The output's name, as Keras prefixes it to its logs ("price" gives "price_loss").</summary>
    public string Name { get; }

    /// <summary>The output's own loss, with its own reduction.</summary>
    public Loss Loss { get; }

    /// <summary>The output's factor in the total loss (Keras's <c>loss_weights</c>).</summary>
    public float Weight { get; }

    /// <summary>The first column of the output's predictions in the model's prediction row.</summary>
    public int OutputOffset { get; }

    /// <summary>The number of predictions of the output per sample.</summary>
    public int OutputWidth { get; }

    /// <summary>The first column of the output's targets in the model's target row.</summary>
    public int TargetOffset { get; }

    /// <summary>The number of target values of the output per sample: <c>Loss.TargetWidth(OutputWidth)</c>.</summary>
    public int TargetWidth { get; }

    /// <summary>Whether the output's targets are integer class labels (a sparse categorical loss).</summary>
    public bool Sparse => Loss is SparseCategoricalCrossentropy;

    /// <summary>
    /// The widths of the concatenated prediction and target rows of a batch, from the buffer lengths; throws unless
    /// both hold whole rows that contain this output's columns.
    /// </summary>
    internal (int OutputRow, int TargetRow) RowWidths(int predictionLength, int targetLength, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        int outputRow = predictionLength / batch, targetRow = targetLength / batch;
        if (predictionLength != outputRow * batch || outputRow < OutputOffset + OutputWidth)
            throw new ArgumentException(
                $"Expected yPred to hold {batch} rows of at least {OutputOffset + OutputWidth} floats (output \"{Name}\" is columns [{OutputOffset}, {OutputOffset + OutputWidth})); got {predictionLength} floats.",
                "yPred");
        if (targetLength != targetRow * batch || targetRow < TargetOffset + TargetWidth)
            throw new ArgumentException(
                $"Expected yTrue to hold {batch} rows of at least {TargetOffset + TargetWidth} floats (output \"{Name}\" is columns [{TargetOffset}, {TargetOffset + TargetWidth})); got {targetLength} floats.",
                "yTrue");
        return (outputRow, targetRow);
    }
}
