namespace Gen.Cpu;

/// <summary>
/// Keras's Concatenate on the last axis: a (B, Ca), b (B, Cb) -> y (B, Ca + Cb). More inputs are one
/// <see cref="ForwardPart"/> and one <see cref="BackwardPart"/> per input, at the sum of the widths before it.
/// </summary>
public static class Concatenate
{
    /// <summary>y[r] = a[r] ‖ b[r] (overwrites).</summary>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int batch, int aWidth, int bWidth)
    {
        Check(a.Length, b.Length, y.Length, batch, aWidth, bWidth, nameof(y));
        int width = aWidth + bWidth;
        for (int r = 0; r < batch; r++)
        {
            a.Slice(r * aWidth, aWidth).CopyTo(y.Slice(r * width, aWidth));
            b.Slice(r * bWidth, bWidth).CopyTo(y.Slice(r * width + aWidth, bWidth));
        }
    }

    /// <summary>dy (B, Ca + Cb) split into da (B, Ca) and db (B, Cb) (both overwrite).</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> da, Span<float> db, int batch, int aWidth, int bWidth)
    {
        Check(da.Length, db.Length, dy.Length, batch, aWidth, bWidth, nameof(dy));
        int width = aWidth + bWidth;
        for (int r = 0; r < batch; r++)
        {
            dy.Slice(r * width, aWidth).CopyTo(da.Slice(r * aWidth, aWidth));
            dy.Slice(r * width + aWidth, bWidth).CopyTo(db.Slice(r * bWidth, bWidth));
        }
    }

    /// <summary>part (B, Cp) -> y[:, offset : offset + Cp] with y (B, C) (overwrites those columns, leaves the others).</summary>
    public static void ForwardPart(ReadOnlySpan<float> part, Span<float> y, int batch, int partWidth, int width, int offset)
    {
        CheckPart(part.Length, nameof(part), y.Length, nameof(y), batch, partWidth, width, offset);
        Columns.ScatterCore(part, batch, partWidth, y, width, offset, 1f);
    }

    /// <summary>dy (B, C) -> dPart (B, Cp) = dy[:, offset : offset + Cp] (overwrites).</summary>
    public static void BackwardPart(ReadOnlySpan<float> dy, Span<float> dPart, int batch, int partWidth, int width, int offset)
    {
        CheckPart(dPart.Length, nameof(dPart), dy.Length, nameof(dy), batch, partWidth, width, offset);
        Columns.GatherCore(dy, batch, width, offset, partWidth, dPart);
    }

    private static void CheckPart(int partLength, string partName, int yLength, string yName, int batch, int partWidth, int width, int offset)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Expected a non-negative batch; got {batch}.");
        if (partWidth < 1) throw new ArgumentOutOfRangeException(nameof(partWidth), partWidth, $"Expected a part of at least 1 column; got {partWidth}.");
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Expected a non-negative column offset; got {offset}.");
        if ((long)offset + partWidth > width)
            throw new ArgumentException($"Expected the part's columns [{offset}, {(long)offset + partWidth}) to lie within the width {width}; offset {offset} + partWidth {partWidth} > {width}.", nameof(width));
        Columns.CheckLength(partLength, (long)batch * partWidth, partName);
        Columns.CheckLength(yLength, (long)batch * width, yName);
    }

    private static void Check(int aLength, int bLength, int yLength, int batch, int aWidth, int bWidth, string yName)
    {
        if (batch < 0 || aWidth < 0 || bWidth < 0) throw new ArgumentException($"Expected non-negative sizes; got batch {batch}, widths {aWidth} and {bWidth}.", nameof(batch));
        if (aLength < batch * aWidth) throw new ArgumentException($"Expected the first input to hold at least {batch * aWidth} floats; got {aLength}.", "a");
        if (bLength < batch * bWidth) throw new ArgumentException($"Expected the second input to hold at least {batch * bWidth} floats; got {bLength}.", "b");
        if (yLength < batch * (aWidth + bWidth)) throw new ArgumentException($"Expected {yName} to hold at least {batch * (aWidth + bWidth)} floats; got {yLength}.", yName);
    }
}

/// <summary>Keras's Add of two inputs of one shape: y = a + b, element-wise.</summary>
public static class Add
{
    /// <summary>y = a + b (overwrites); all three hold the same count of floats.</summary>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (b.Length != a.Length) throw new ArgumentException($"Expected both inputs to hold {a.Length} floats; the second holds {b.Length}.", nameof(b));
        if (y.Length < a.Length) throw new ArgumentException($"Expected y to hold at least {a.Length} floats; got {y.Length}.", nameof(y));
        System.Numerics.Tensors.TensorPrimitives.Add(a, b, y[..a.Length]);
    }

    /// <summary>da = dy and db = dy (both overwrite).</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        if (da.Length < dy.Length) throw new ArgumentException($"Expected da to hold at least {dy.Length} floats; got {da.Length}.", nameof(da));
        if (db.Length < dy.Length) throw new ArgumentException($"Expected db to hold at least {dy.Length} floats; got {db.Length}.", nameof(db));
        dy.CopyTo(da);
        dy.CopyTo(db);
    }
}
