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
    /// </summary>
    public float Compute(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch, Span<float> gradient)
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

        // Keras: sum(l·w) / N, / Σw, or no division. Divide-no-NaN: 0/0 is 0.
        double denominator = Reduction switch
        {
            Reduction.Sum => 1.0,
            Reduction.MeanWithSampleWeight => SumOfWeights(sampleWeight, batch),
            _ => batch,
        };
        float scale = denominator == 0 ? 0f : (float)(1.0 / denominator);

        double total = 0;
        bool wantGradient = !gradient.IsEmpty;
        for (int i = 0; i < batch; i++)
        {
            float w = sampleWeight.IsEmpty ? 1f : sampleWeight[i];
            var gradRow = wantGradient ? gradient.Slice(i * width, width) : Span<float>.Empty;
            float l = SampleLoss(yPred.Slice(i * width, width), yTrue.Slice(i * targetWidth, targetWidth), gradRow);
            total += (double)l * w;
            if (wantGradient)
            {
                float factor = w * scale;
                for (int j = 0; j < gradRow.Length; j++) gradRow[j] *= factor;
            }
        }
        return (float)(total * (denominator == 0 ? 0 : 1.0 / denominator));
    }

    /// <summary>
    /// The loss of one sample (already averaged over its last axis). When <paramref name="gradient"/> is not
    /// empty, writes d(sample loss)/d(prediction) into it (it has the prediction's width).
    /// </summary>
    protected abstract float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient);

    private static double SumOfWeights(ReadOnlySpan<float> sampleWeight, int batch)
    {
        if (sampleWeight.IsEmpty) return batch;
        double sum = 0;
        foreach (float w in sampleWeight) sum += w;
        return sum;
    }
}
