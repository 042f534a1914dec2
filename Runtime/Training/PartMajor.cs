namespace Gen;

/// <summary>
/// Batches of several inputs or outputs, part by part: each part's block of <c>batch × width</c> floats, row-major,
/// after the blocks before it, so that every layer and every loss reads its part in place. The side-by-side rows users
/// hold (each sample's parts next to each other) convert to and from this layout.
/// </summary>
public static class PartMajor
{
    /// <summary>Rows of side-by-side parts (<paramref name="widths"/> summed per row) to part-major blocks.</summary>
    public static void FromRows(ReadOnlySpan<float> rows, int batch, ReadOnlySpan<int> widths, Span<float> parts)
    {
        int rowWidth = Sum(widths);
        Check(rows.Length, parts.Length, batch, rowWidth);
        int block = 0, column = 0;
        foreach (int width in widths)
        {
            Cpu.Columns.GatherCore(rows, batch, rowWidth, column, width, parts.Slice(block, batch * width));
            block += batch * width;
            column += width;
        }
    }

    /// <summary>Part-major blocks back to rows of side-by-side parts.</summary>
    public static void ToRows(ReadOnlySpan<float> parts, int batch, ReadOnlySpan<int> widths, Span<float> rows)
    {
        int rowWidth = Sum(widths);
        Check(rows.Length, parts.Length, batch, rowWidth);
        int block = 0, column = 0;
        foreach (int width in widths)
        {
            Cpu.Columns.ScatterCore(parts.Slice(block, batch * width), batch, width, rows, rowWidth, column, 1f);
            block += batch * width;
            column += width;
        }
    }

    /// <summary>
    /// Copies the given sample rows of a side-by-side matrix (<paramref name="rowWidth"/> floats a row) into part-major
    /// blocks: the gather of a shuffled batch, writing each part where the model reads it.
    /// </summary>
    internal static void Gather(ReadOnlySpan<float> source, ReadOnlySpan<int> rows, int rowWidth, ReadOnlySpan<int> widths, Span<float> parts)
    {
        int batch = rows.Length;
        if (widths.Length == 1)
        {
            for (int r = 0; r < batch; r++)
                source.Slice(rows[r] * rowWidth, rowWidth).CopyTo(parts.Slice(r * rowWidth, rowWidth));
            return;
        }
        int block = 0, column = 0;
        foreach (int width in widths)
        {
            for (int r = 0; r < batch; r++)
                source.Slice(rows[r] * rowWidth + column, width).CopyTo(parts.Slice(block + r * width, width));
            block += batch * width;
            column += width;
        }
    }

    private static int Sum(ReadOnlySpan<int> widths)
    {
        int total = 0;
        foreach (int width in widths) total += width;
        return total;
    }

    private static void Check(int rowsLength, int partsLength, int batch, int rowWidth)
    {
        if (rowsLength != (long)batch * rowWidth)
            throw new ArgumentException($"Expected the rows to hold {batch} × {rowWidth} = {(long)batch * rowWidth} floats; got {rowsLength}.", "rows");
        if (partsLength != rowsLength)
            throw new ArgumentException($"Expected the parts to hold {rowsLength} floats; got {partsLength}.", "parts");
    }
}
