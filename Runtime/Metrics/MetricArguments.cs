namespace Gen;

/// <summary>Argument checks shared by the metrics' <see cref="Metric.Update"/>.</summary>
internal static class MetricArguments
{
    /// <summary>
    /// Checks that <paramref name="yPred"/> and <paramref name="yTrue"/> are both <c>batch × width</c> and that
    /// <paramref name="sampleWeight"/> is empty or holds one weight per sample; returns the width.
    /// </summary>
    public static int CheckSameShape(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        int width = yPred.Length / batch;
        if (width == 0 || yPred.Length != batch * width)
            throw new ArgumentException($"Expected yPred to hold batch × width floats with batch {batch}; got {yPred.Length}.", nameof(yPred));
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"Expected yTrue to hold {batch} × {width} = {yPred.Length} floats, like yPred; got {yTrue.Length}.", nameof(yTrue));
        if (!sampleWeight.IsEmpty && sampleWeight.Length != batch)
            throw new ArgumentException($"Expected one sample weight per sample ({batch}); got {sampleWeight.Length}.", nameof(sampleWeight));
        return width;
    }
}
