using System.Runtime.CompilerServices;

namespace Gen.Cpu;

/// <summary>
/// Keras's Embedding: a lookup of rows in the table (V, D). Indices arrive as floats holding whole numbers, the
/// way they sit in a float input buffer; each must lie in [0, V).
/// </summary>
public static class Embedding
{
    /// <summary>indices (count) with table (V, D) -> y (count, D) = table[indices] (overwrites). count is B·T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> indices, ReadOnlySpan<float> table, Span<float> y, int count, int vocabulary, int dimension)
    {
        CheckShapes(indices.Length, table.Length, y.Length, count, vocabulary, dimension, nameof(table), nameof(y));
        for (int i = 0; i < count; i++)
        {
            int row = Row(indices[i], i, vocabulary);
            table.Slice(row * dimension, dimension).CopyTo(y.Slice(i * dimension, dimension));
        }
    }

    /// <summary>
    /// dTable (V, D): zeroed (overwrites), then dy (count, D) scatter-added row by row in index order, so an index that
    /// repeats accumulates, always in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> indices, ReadOnlySpan<float> dy, Span<float> dTable, int count, int vocabulary, int dimension)
    {
        CheckShapes(indices.Length, dTable.Length, dy.Length, count, vocabulary, dimension, nameof(dTable), nameof(dy));
        // Validate before touching dTable, so a bad index leaves it as it was.
        for (int i = 0; i < count; i++) Row(indices[i], i, vocabulary);
        dTable[..(vocabulary * dimension)].Clear();
        for (int i = 0; i < count; i++)
        {
            int row = (int)indices[i];
            Dense.Add(dy.Slice(i * dimension, dimension), dTable.Slice(row * dimension, dimension));
        }
    }

    /// <summary>Keras's <c>mask_zero</c>: mask[i] = 1 where indices[i] is not 0, else 0 (overwrites; count = B·T).</summary>
    public static void ZeroMask(ReadOnlySpan<float> indices, Span<float> mask, int count)
    {
        if (count < 0) throw new ArgumentException($"Expected a non-negative index count; got {count}.", nameof(count));
        if (indices.Length < count) throw new ArgumentException($"Expected indices to hold at least {count} floats; got {indices.Length}.", nameof(indices));
        if (mask.Length < count) throw new ArgumentException($"Expected mask to hold at least {count} floats; got {mask.Length}.", nameof(mask));
        for (int i = 0; i < count; i++) mask[i] = indices[i] != 0f ? 1f : 0f;
    }

    private static int Row(float index, int position, int vocabulary)
    {
        if (!(index >= 0f && index < vocabulary) || index != MathF.Floor(index))
            throw new ArgumentException($"Embedding index {index} at position {position} is outside [0, {vocabulary}) or not a whole number; the vocabulary size V is {vocabulary}.", "indices");
        return (int)index;
    }

    private static void CheckShapes(int indicesLength, int tableLength, int rowsLength, int count, int vocabulary, int dimension, string tableName, string rowsName)
    {
        if (count < 0) throw new ArgumentException($"Expected a non-negative index count; got {count}.", nameof(count));
        if (vocabulary < 1) throw new ArgumentException($"Expected a vocabulary of at least 1; got {vocabulary}.", nameof(vocabulary));
        if (dimension < 1) throw new ArgumentException($"Expected an embedding dimension of at least 1; got {dimension}.", nameof(dimension));
        if (indicesLength < count) throw new ArgumentException($"Expected indices to hold at least {count} floats; got {indicesLength}.", "indices");
        if (tableLength < vocabulary * dimension) throw new ArgumentException($"Expected {tableName} to hold at least {vocabulary * dimension} floats; got {tableLength}.", tableName);
        if (rowsLength < count * dimension) throw new ArgumentException($"Expected {rowsName} to hold at least {count * dimension} floats; got {rowsLength}.", rowsName);
    }
}
