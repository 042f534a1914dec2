using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Cpu;

/// <summary>
/// Column blocks of row-major matrices: a multi-output model's heads sit side by side in one prediction row
/// (<c>[head0 | head1 | …]</c>) and one target row, and each head reads and writes its own block of columns.
/// </summary>
public static class Columns
{
    /// <summary>
    /// source (rows, sourceWidth) -> destination (rows, width) = source[:, offset : offset + width] (overwrites).
    /// </summary>
    public static void Gather(ReadOnlySpan<float> source, int rows, int sourceWidth, int offset, int width, Span<float> destination)
    {
        Check(rows, sourceWidth, offset, width);
        CheckLength(source.Length, (long)rows * sourceWidth, nameof(source));
        CheckLength(destination.Length, (long)rows * width, nameof(destination));
        GatherCore(source, rows, sourceWidth, offset, width, destination);
    }

    /// <summary>
    /// source (rows, width) -> destination[:, offset : offset + width] = scale · source, destination (rows, destinationWidth).
    /// Overwrites those columns and leaves the others as they were.
    /// </summary>
    public static void Scatter(ReadOnlySpan<float> source, int rows, int width, Span<float> destination, int destinationWidth, int offset, float scale = 1f)
    {
        Check(rows, destinationWidth, offset, width);
        CheckLength(source.Length, (long)rows * width, nameof(source));
        CheckLength(destination.Length, (long)rows * destinationWidth, nameof(destination));
        ScatterCore(source, rows, width, destination, destinationWidth, offset, scale);
    }

    /// <summary>A new (rows, width) array holding source[:, offset : offset + width].</summary>
    public static float[,] Split(float[,] source, int offset, int width)
    {
        ArgumentNullException.ThrowIfNull(source);
        int rows = source.GetLength(0), sourceWidth = source.GetLength(1);
        Check(rows, sourceWidth, offset, width);
        var result = new float[rows, width];
        GatherCore(AsSpan(source), rows, sourceWidth, offset, width, AsSpan(result));
        return result;
    }

    /// <summary>Gather without checks: the caller has checked the sizes.</summary>
    internal static void GatherCore(ReadOnlySpan<float> source, int rows, int sourceWidth, int offset, int width, Span<float> destination)
    {
        for (int r = 0; r < rows; r++)
            source.Slice(r * sourceWidth + offset, width).CopyTo(destination.Slice(r * width, width));
    }

    /// <summary>Scatter without checks: the caller has checked the sizes.</summary>
    internal static void ScatterCore(ReadOnlySpan<float> source, int rows, int width, Span<float> destination, int destinationWidth, int offset, float scale)
    {
        for (int r = 0; r < rows; r++)
        {
            var from = source.Slice(r * width, width);
            var to = destination.Slice(r * destinationWidth + offset, width);
            if (scale == 1f) from.CopyTo(to);
            else TensorPrimitives.Multiply(from, scale, to);
        }
    }

    /// <summary>Throws unless rows ≥ 0, width ≥ 1, offset ≥ 0 and [offset, offset + width) lies within the row.</summary>
    internal static void Check(int rows, int rowWidth, int offset, int width)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Expected a non-negative row count; got {rows}.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, $"Expected a width of at least 1 column; got {width}.");
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Expected a non-negative column offset; got {offset}.");
        if ((long)offset + width > rowWidth)
            throw new ArgumentException($"Expected columns [{offset}, {(long)offset + width}) to lie within a row of {rowWidth} columns; offset {offset} + width {width} = {(long)offset + width} > {rowWidth}.", nameof(width));
    }

    internal static void CheckLength(int length, long expected, string name)
    {
        if (length < expected) throw new ArgumentException($"Expected {name} to hold at least {expected} floats; got {length}.", name);
    }

    /// <summary>The elements of a matrix, row-major.</summary>
    internal static Span<float> AsSpan(float[,] matrix) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length);
}
