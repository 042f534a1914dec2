namespace Gen;

/// <summary>
/// The per-batch arenas of a generated model: activations (each layer's outputs, masks and caches) and deltas
/// (dLoss/d(output) of each layer), plus one accumulation buffer for outputs read by several layers. The model's
/// buffer plan gives every tensor a per-sample offset k and width; for a capacity of C samples the tensor starts at
/// C × k, so no address depends on the current batch. Grows (the only allocation after construction) when a batch
/// exceeds the capacity; the contents are then undefined until the next forward pass.
/// </summary>
public sealed class BatchArenas
{
    private readonly int _activationWidth, _deltaWidth, _accumulateWidth;

    /// <summary>Arenas for the given floats per sample; nothing is allocated until <see cref="Ensure"/>.</summary>
    public BatchArenas(int activationWidth, int deltaWidth, int accumulateWidth = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(activationWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(deltaWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(accumulateWidth);
        _activationWidth = activationWidth;
        _deltaWidth = deltaWidth;
        _accumulateWidth = accumulateWidth;
    }

    /// <summary>The samples the arenas hold; tensor k starts at Capacity × k.</summary>
    public int Capacity { get; private set; }

    /// <summary>Capacity × the activation width: the forward pass's tensors.</summary>
    public float[] Activations { get; private set; } = [];

    /// <summary>Capacity × the delta width: the gradient of each layer's output.</summary>
    public float[] Deltas { get; private set; } = [];

    /// <summary>Capacity × the widest output read more than once: its second gradient, added to the first.</summary>
    public float[] Accumulate { get; private set; } = [];

    private float[] _inputParts = [], _targetParts = [];

    /// <summary>
    /// Side-by-side rows of several inputs, part by part (<see cref="PartMajor"/>), in a buffer the arenas keep: for
    /// the entry points that take rows (custom loops). One part is returned as it is.
    /// </summary>
    public ReadOnlySpan<float> InputParts(ReadOnlySpan<float> rows, int batch, ReadOnlySpan<int> widths) => Parts(ref _inputParts, rows, batch, widths);

    /// <summary>Side-by-side rows of several outputs' targets, part by part, as <see cref="InputParts"/>.</summary>
    public ReadOnlySpan<float> TargetParts(ReadOnlySpan<float> rows, int batch, ReadOnlySpan<int> widths) => Parts(ref _targetParts, rows, batch, widths);

    private static ReadOnlySpan<float> Parts(ref float[] buffer, ReadOnlySpan<float> rows, int batch, ReadOnlySpan<int> widths)
    {
        if (widths.Length == 1) return rows;
        if (buffer.Length < rows.Length) buffer = new float[rows.Length];
        var parts = buffer.AsSpan(0, rows.Length);
        PartMajor.FromRows(rows, batch, widths, parts);
        return parts;
    }

    /// <summary>Makes room for a batch of <paramref name="batch"/> samples.</summary>
    public void Ensure(int batch)
    {
        if (batch <= Capacity) return;
        Activations = new float[checked(batch * _activationWidth)];
        Deltas = new float[checked(batch * _deltaWidth)];
        if (_accumulateWidth > 0) Accumulate = new float[checked(batch * _accumulateWidth)];
        Capacity = batch;
    }
}
