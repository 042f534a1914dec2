namespace Gen;

/// <summary>
/// The unweighted loss of one output of a multi-output model, logged as "{name}_loss": Keras's per-output loss
/// tracker, a <c>Mean</c> updated with each batch's loss and sample_weight = the batch size, so the result is
/// Σ loss·batch / Σ batch over the batches since the last reset (0 before any). Each batch's loss is the output's
/// own <see cref="Loss.Compute"/> on its columns, with the sample weights; sums are kept in float64. Keeps scratch
/// buffers between calls (after the first batch of a size, <see cref="Update"/> allocates nothing).
/// </summary>
public sealed class OutputLossMetric : Metric
{
    private readonly HeadScratch _scratch = new();
    private double _total, _count;

    public OutputLossMetric(OutputHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        Head = head;
        Name = head.Name + "_loss";
    }

    /// <summary>The output whose loss the metric tracks.</summary>
    public OutputHead Head { get; }

    /// <summary>The output's name and "_loss".</summary>
    public override string Name { get; }

    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        var (outputRow, targetRow) = Head.RowWidths(yPred.Length, yTrue.Length, batch);
        float loss = Head.Loss.Compute(_scratch.Prediction(Head, yPred, batch, outputRow), _scratch.Target(Head, yTrue, batch, targetRow),
            sampleWeight, batch, Span<float>.Empty);
        _total += (double)loss * batch;
        _count += batch;
    }

    public override float Result() => _count == 0 ? 0f : (float)(_total / _count);

    public override void Reset()
    {
        _total = 0;
        _count = 0;
    }
}
