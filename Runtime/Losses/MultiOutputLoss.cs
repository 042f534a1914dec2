using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Gen;

/// <summary>
/// The loss of a multi-output model, Keras's <c>compile(loss={…}, loss_weights={…})</c>: each output has its own loss
/// with its own reduction, and total = Σ_i weight_i · loss_i, added in float in head order as Keras adds its float32
/// values. Predictions are rows <c>[head0 | head1 | …]</c> of <see cref="OutputSize"/> floats, targets rows
/// <c>[t0 | t1 | …]</c> of <see cref="TargetSize"/>; the heads tile both rows exactly, in order. The gradient of
/// head i's columns is weight_i · d(loss_i)/d(prediction_i). Sample weights apply to every head.
/// <para>
/// <see cref="Loss.Reduction"/> is not used: each head reduces with its own. Keeps scratch buffers between calls
/// (after the first call of a batch size, <see cref="Compute"/> allocates nothing), so one instance serves one
/// thread at a time.
/// </para>
/// </summary>
public sealed class MultiOutputLoss : Loss
{
    private readonly OutputHead[] _heads;
    private readonly HeadScratch _scratch = new();

    public MultiOutputLoss(params OutputHead[] heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        if (heads.Length == 0) throw new ArgumentException("Expected at least one output head; got none.", nameof(heads));
        _heads = (OutputHead[])heads.Clone();
        int outputOffset = 0, targetOffset = 0;
        for (int i = 0; i < _heads.Length; i++)
        {
            var head = _heads[i] ?? throw new ArgumentException($"heads[{i}] is null; expected an OutputHead.", nameof(heads));
            for (int j = 0; j < i; j++)
            {
                if (_heads[j].Name == head.Name)
                    throw new ArgumentException($"heads[{j}] and heads[{i}] are both named \"{head.Name}\"; expected distinct output names.", nameof(heads));
            }
            if (head.OutputOffset != outputOffset)
                throw new ArgumentException(
                    $"heads[{i}] (\"{head.Name}\") has output offset {head.OutputOffset}; expected {outputOffset}, the sum of the output widths before it, so that the heads tile the prediction row.",
                    nameof(heads));
            if (head.TargetOffset != targetOffset)
                throw new ArgumentException(
                    $"heads[{i}] (\"{head.Name}\") has target offset {head.TargetOffset}; expected {targetOffset}, the sum of the target widths before it, so that the heads tile the target row.",
                    nameof(heads));
            outputOffset += head.OutputWidth;
            targetOffset += head.TargetWidth;
        }
        OutputSize = outputOffset;
        TargetSize = targetOffset;
        Heads = new ReadOnlyCollection<OutputHead>(_heads);
    }

    /// <summary>The outputs, in the order of their columns.</summary>
    public IReadOnlyList<OutputHead> Heads { get; }

    /// <summary>The predictions per sample: Σ OutputWidth.</summary>
    public int OutputSize { get; }

    /// <summary>The target values per sample: Σ TargetWidth.</summary>
    public int TargetSize { get; }

    /// <summary>Keras logs the total as "loss" (and each head as "{name}_loss", see <see cref="OutputLossMetric"/>).</summary>
    public override string Name => "loss";

    /// <summary><see cref="TargetSize"/>; the prediction width must be <see cref="OutputSize"/>.</summary>
    public override int TargetWidth(int predictionWidth)
    {
        if (predictionWidth != OutputSize)
            throw new ArgumentException($"Expected the prediction width of this multi-output loss, {OutputSize}; got {predictionWidth}.", nameof(predictionWidth));
        return TargetSize;
    }

    /// <summary>
    /// Σ_i weight_i · loss_i over the heads, each head's loss computed by its own <see cref="Loss.Compute"/> on its
    /// columns. <paramref name="yPred"/> is <c>batch × OutputSize</c>, <paramref name="yTrue"/> <c>batch × TargetSize</c>,
    /// <paramref name="sampleWeight"/> empty or one per sample; a non-empty <paramref name="gradient"/>
    /// (<c>batch × OutputSize</c>) is overwritten with weight_i · d(loss_i)/d(prediction_i) in head i's columns.
    /// </summary>
    public override float Compute(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch, Span<float> gradient)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        if (yPred.Length != (long)batch * OutputSize)
            throw new ArgumentException($"Expected yPred to hold {batch} × {OutputSize} = {(long)batch * OutputSize} floats; got {yPred.Length}.", nameof(yPred));
        if (yTrue.Length != (long)batch * TargetSize)
            throw new ArgumentException($"Expected yTrue to hold {batch} × {TargetSize} = {(long)batch * TargetSize} floats; got {yTrue.Length}.", nameof(yTrue));
        if (!sampleWeight.IsEmpty && sampleWeight.Length != batch)
            throw new ArgumentException($"Expected one sample weight per sample ({batch}); got {sampleWeight.Length}.", nameof(sampleWeight));
        if (!gradient.IsEmpty && gradient.Length != yPred.Length)
            throw new ArgumentException($"Expected gradient to hold {yPred.Length} floats; got {gradient.Length}.", nameof(gradient));

        bool wantGradient = !gradient.IsEmpty;
        float total = 0f;
        foreach (var head in _heads)
        {
            var prediction = _scratch.Prediction(head, yPred, batch, OutputSize);
            var target = _scratch.Target(head, yTrue, batch, TargetSize);
            var headGradient = wantGradient ? _scratch.Gradient(head, batch) : Span<float>.Empty;
            float loss = head.Loss.Compute(prediction, target, sampleWeight, batch, headGradient);
            total += head.Weight * loss;
            // The heads tile the row, so every column of the gradient is overwritten.
            if (wantGradient) Cpu.Columns.ScatterCore(headGradient, batch, head.OutputWidth, gradient, OutputSize, head.OutputOffset, head.Weight);
        }
        return total;
    }

    /// <summary>
    /// Checks the class labels of every sparse head in <paramref name="y"/> (rows of <see cref="TargetSize"/>): each must
    /// be a whole number in [0, OutputWidth), or the loss's ignored class. The error names <paramref name="name"/>, the
    /// output, the row, the range and the value.
    /// </summary>
    public void CheckTargets(ReadOnlySpan<float> y, string paramName, string name)
    {
        if (y.Length % TargetSize != 0)
            throw new ArgumentException($"{name} holds {y.Length} floats; expected whole rows of TargetSize {TargetSize}.", paramName);
        foreach (var head in _heads)
        {
            if (head.Loss is SparseCategoricalCrossentropy sparse)
                DataChecks.CheckLabels(y, TargetSize, head.TargetOffset, head.OutputWidth, sparse.IgnoreClass, paramName, name, head.Name);
        }
    }

    /// <summary>Not called: <see cref="Compute"/> delegates to each head's loss.</summary>
    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient) =>
        throw new UnreachableException($"{nameof(MultiOutputLoss)} computes through its heads' losses, not per sample.");
}
