using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// A loss function with Keras 3's semantics: a per-sample loss (the mean over the last axis), multiplied
/// by the sample weight, then reduced over the batch (<see cref="Gen.Reduction"/>). Usable on its own, on
/// plain spans, or by a generated model.
/// </summary>
public abstract class Loss
{
    /// <summary>Keras's name for the loss, as printed in logs ("mean_squared_error", ...).</summary>
    public abstract string Name { get; }

    /// <summary>How per-sample losses are reduced (default: sum over batch size).</summary>
    public Reduction Reduction { get; init; } = Reduction.SumOverBatchSize;

    /// <summary>The number of target values per sample for predictions of the given width.</summary>
    public virtual int TargetWidth(int predictionWidth) => predictionWidth;

    /// <summary>
    /// The reduced loss of a batch. <paramref name="yPred"/> is <c>batch × width</c>, <paramref name="yTrue"/>
    /// is <c>batch × TargetWidth(width)</c>, <paramref name="sampleWeight"/> is empty (all ones) or one weight
    /// per sample. When <paramref name="gradient"/> is not empty it receives d(loss)/d(yPred), <c>batch × width</c>.
    /// Virtual for losses that are not one per-sample formula (<see cref="MultiOutputLoss"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public virtual float Compute(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch, Span<float> gradient)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        int width = yPred.Length / batch;
        int targetWidth = TargetWidth(width);
        if (yPred.Length != batch * width || width == 0)
            throw new ArgumentException($"Expected yPred to hold batch × width floats with batch {batch}; got {yPred.Length}.", nameof(yPred));
        if (yTrue.Length != batch * targetWidth)
            throw new ArgumentException($"Expected yTrue to hold {batch} × {targetWidth} = {batch * targetWidth} floats; got {yTrue.Length}.", nameof(yTrue));
        if (!sampleWeight.IsEmpty && sampleWeight.Length != batch)
            throw new ArgumentException($"Expected one sample weight per sample ({batch}); got {sampleWeight.Length}.", nameof(sampleWeight));
        if (!gradient.IsEmpty && gradient.Length != yPred.Length)
            throw new ArgumentException($"Expected gradient to hold {yPred.Length} floats; got {gradient.Length}.", nameof(gradient));

        // Keras: sum(l·w) / N, / Σw, or no division, where N and Σw count only the samples that are not
        // masked (a mask becomes the weights total/valid). Divide-no-NaN: 0/0 is 0.
        int valid = 0;
        double validWeight = 0;
        for (int i = 0; i < batch; i++)
        {
            if (IsMasked(yTrue.Slice(i * targetWidth, targetWidth))) continue;
            valid++;
            validWeight += sampleWeight.IsEmpty ? 1f : sampleWeight[i];
        }
        double denominator = Reduction switch
        {
            Reduction.Sum => 1.0,
            Reduction.MeanWithSampleWeight => validWeight,
            _ => valid,
        };
        double scale = denominator == 0 ? 0 : 1.0 / denominator;

        double total = 0;
        bool wantGradient = !gradient.IsEmpty;
        for (int i = 0; i < batch; i++)
        {
            var gradRow = wantGradient ? gradient.Slice(i * width, width) : Span<float>.Empty;
            var target = yTrue.Slice(i * targetWidth, targetWidth);
            if (IsMasked(target))
            {
                gradRow.Clear();
                continue;
            }
            float w = sampleWeight.IsEmpty ? 1f : sampleWeight[i];
            float l = SampleLoss(yPred.Slice(i * width, width), target, gradRow);
            total += (double)l * w;
            if (wantGradient)
            {
                float factor = (float)(w * scale);
                for (int j = 0; j < gradRow.Length; j++) gradRow[j] *= factor;
            }
        }
        return (float)(total * scale);
    }

    /// <summary>
    /// Whether the sample with this target is masked out (Keras's loss mask, as SCCE's <c>ignore_class</c>
    /// sets it): a masked sample has loss 0 and gradient 0, <see cref="SampleLoss"/> is not called for it,
    /// and the mean reductions run over the other samples only. The default masks nothing.
    /// </summary>
    protected virtual bool IsMasked(ReadOnlySpan<float> target) => false;

    /// <summary>
    /// The loss of one sample (already averaged over its last axis). When <paramref name="gradient"/> is not
    /// empty, writes d(sample loss)/d(prediction) into it (it has the prediction's width).
    /// </summary>
    protected abstract float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient);
}
