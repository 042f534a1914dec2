namespace Gen;

/// <summary>
/// Scratch for one output's columns of a batch, gathered out of the concatenated rows: grown on demand and kept,
/// so that after the first batch of a given size nothing is allocated. Owned by one loss or metric; not thread-safe.
/// </summary>
internal sealed class HeadScratch
{
    private float[] _prediction = [], _target = [], _gradient = [];

    /// <summary>Gathers the output's prediction columns of <paramref name="yPred"/> (rows of <paramref name="outputRow"/>).</summary>
    public ReadOnlySpan<float> Prediction(OutputHead head, ReadOnlySpan<float> yPred, int batch, int outputRow)
    {
        var prediction = Take(ref _prediction, batch * head.OutputWidth);
        Cpu.Columns.GatherCore(yPred, batch, outputRow, head.OutputOffset, head.OutputWidth, prediction);
        return prediction;
    }

    /// <summary>Gathers the output's target columns of <paramref name="yTrue"/> (rows of <paramref name="targetRow"/>).</summary>
    public ReadOnlySpan<float> Target(OutputHead head, ReadOnlySpan<float> yTrue, int batch, int targetRow)
    {
        var target = Take(ref _target, batch * head.TargetWidth);
        Cpu.Columns.GatherCore(yTrue, batch, targetRow, head.TargetOffset, head.TargetWidth, target);
        return target;
    }

    /// <summary>A buffer for the output's gradient, batch × OutputWidth; its contents are stale.</summary>
    public Span<float> Gradient(OutputHead head, int batch) => Take(ref _gradient, batch * head.OutputWidth);

    private static Span<float> Take(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }
}
