namespace Gen;

/// <summary>
/// A metric of one output of a multi-output model, named as Keras names it (<c>price_mean_absolute_error</c>). The model's
/// step updates it with that output's own predictions and targets, so it forwards them unchanged to <see cref="Inner"/>.
/// </summary>
public sealed class HeadMetric : Metric
{
    public HeadMetric(string output, Metric inner)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inner);
        Output = output;
        Inner = inner;
        Name = output + "_" + inner.Name;
    }

    /// <summary>The output's name.</summary>
    public string Output { get; }

    /// <summary>The metric computed on the output's predictions.</summary>
    public Metric Inner { get; }

    public override string Name { get; }

    /// <inheritdoc/>
    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch) =>
        Inner.Update(yPred, yTrue, sampleWeight, batch);

    public override float Result() => Inner.Result();

    public override void Reset() => Inner.Reset();
}

/// <summary>
/// The unweighted loss of one output of a multi-output model (<c>price_loss</c>): the mean of its batch losses weighted by
/// batch size, as the step computed them (<see cref="Add"/>), so no loss is computed twice.
/// </summary>
public sealed class HeadLossMetric : Metric
{
    private double _total, _count;

    public HeadLossMetric(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Output = output;
        Name = output + "_loss";
    }

    /// <summary>The output's name.</summary>
    public string Output { get; }

    public override string Name { get; }

    /// <summary>Adds one batch's reduced loss for this output.</summary>
    public void Add(float loss, int batch)
    {
        _total += (double)loss * batch;
        _count += batch;
    }

    /// <summary>Not used: the loss comes from the step (<see cref="Add"/>).</summary>
    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch) =>
        throw new NotSupportedException($"{Name} is the loss the model's step computes; the step adds it with Add.");

    public override float Result() => _count == 0 ? 0f : (float)(_total / _count);

    public override void Reset()
    {
        _total = 0;
        _count = 0;
    }
}
