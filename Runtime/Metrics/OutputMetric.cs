namespace Gen;

/// <summary>
/// A metric of one output of a multi-output model: <see cref="Inner"/> on the output's columns of the concatenated
/// prediction and target rows, logged under Keras's prefixed name ("price_mean_absolute_error"). Keeps scratch
/// buffers between calls (after the first batch of a size, <see cref="Update"/> allocates nothing).
/// </summary>
public sealed class OutputMetric : Metric
{
    private readonly HeadScratch _scratch = new();

    public OutputMetric(OutputHead head, Metric inner)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(inner);
        Head = head;
        Inner = inner;
        Name = head.Name + "_" + inner.Name;
    }

    /// <summary>The output whose columns the metric reads.</summary>
    public OutputHead Head { get; }

    /// <summary>The metric computed on the output's columns.</summary>
    public Metric Inner { get; }

    /// <summary>The output's name, "_", the inner metric's name.</summary>
    public override string Name { get; }

    /// <summary>
    /// Gathers the output's <see cref="OutputHead.OutputWidth"/> prediction columns and <see cref="OutputHead.TargetWidth"/>
    /// target columns from <paramref name="yPred"/> and <paramref name="yTrue"/> (batch rows each) and updates <see cref="Inner"/>.
    /// </summary>
    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        var (outputRow, targetRow) = Head.RowWidths(yPred.Length, yTrue.Length, batch);
        Inner.Update(_scratch.Prediction(Head, yPred, batch, outputRow), _scratch.Target(Head, yTrue, batch, targetRow), sampleWeight, batch);
    }

    public override float Result() => Inner.Result();

    public override void Reset() => Inner.Reset();
}
