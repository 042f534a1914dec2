using System.Numerics.Tensors;

namespace Gen;

/// <summary>
/// Features for <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c>: a <c>float[,]</c>, a <c>float[][]</c> or a
/// <see cref="Tensor{T}"/> of floats whose first dimension is the sample. Converts implicitly; nothing is
/// copied until a training call checks and flattens it.
/// </summary>
public readonly struct Features
{
    private readonly object? _source;

    private Features(object source) => _source = source;

    public static implicit operator Features(float[,] x) => new(x);
    public static implicit operator Features(float[][] x) => new(x);
    public static implicit operator Features(Tensor<float> x) => new(x);

    /// <summary>Checks the data and copies it into one row-major buffer of <c>rows × width</c> floats.</summary>
    /// <exception cref="ArgumentException">Null or empty data, ragged rows, a width other than <paramref name="width"/>, NaN or infinity.</exception>
    public float[] Flatten(int width, string paramName, out int rows) => DataChecks.Flatten(_source, width, paramName, allowVector: false, out rows);
}

/// <summary>
/// Targets: like <see cref="Features"/>, or a <c>float[]</c> (one value per sample), or an <c>int[]</c> of class labels.
/// </summary>
public readonly struct Targets
{
    private readonly object? _source;

    private Targets(object source) => _source = source;

    public static implicit operator Targets(float[,] y) => new(y);
    public static implicit operator Targets(float[][] y) => new(y);
    public static implicit operator Targets(Tensor<float> y) => new(y);
    public static implicit operator Targets(float[] y) => new(y);
    public static implicit operator Targets(int[] y) => new(y);

    /// <summary>Checks the data and copies it into one row-major buffer of <c>rows × width</c> floats.</summary>
    public float[] Flatten(int width, string paramName, out int rows) => DataChecks.Flatten(_source, width, paramName, allowVector: true, out rows);
}

internal static class DataChecks
{
    public static float[] Flatten(object? source, int width, string paramName, bool allowVector, out int rows)
    {
        float[] data;
        int actualWidth;
        switch (source)
        {
            case null:
                throw new ArgumentNullException(paramName);
            case float[,] m:
                rows = m.GetLength(0);
                actualWidth = m.GetLength(1);
                CheckShape(rows, actualWidth, width, paramName);
                data = new float[rows * width];
                Buffer.BlockCopy(m, 0, data, 0, data.Length * sizeof(float));
                break;
            case float[][] jagged:
                rows = jagged.Length;
                if (rows == 0) throw new ArgumentException($"{paramName} is empty: expected at least one sample.", paramName);
                data = new float[rows * width];
                for (int r = 0; r < rows; r++)
                {
                    var row = jagged[r] ?? throw new ArgumentException($"{paramName}[{r}] is null.", paramName);
                    if (row.Length != width)
                        throw new ArgumentException($"{paramName}[{r}] has {row.Length} values; expected {width} per sample.", paramName);
                    row.CopyTo(data, r * width);
                }
                break;
            case Tensor<float> t:
                if (t.Rank < 1) throw new ArgumentException($"{paramName} has rank 0: expected a first dimension of samples.", paramName);
                rows = (int)t.Lengths[0];
                actualWidth = rows == 0 ? 0 : (int)(t.FlattenedLength / rows);
                if (t.Rank == 1 && allowVector) actualWidth = 1;
                CheckShape(rows, actualWidth, width, paramName);
                data = new float[rows * width];
                t.FlattenTo(data);
                break;
            case float[] v when allowVector:
                rows = v.Length;
                CheckShape(rows, 1, width, paramName);
                data = (float[])v.Clone();
                break;
            case int[] labels when allowVector:
                rows = labels.Length;
                CheckShape(rows, 1, width, paramName);
                data = new float[rows];
                for (int i = 0; i < rows; i++) data[i] = labels[i];
                return data;
            default:
                throw new ArgumentException($"{paramName} has an unsupported type {source.GetType().Name}.", paramName);
        }
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                throw new ArgumentException($"{paramName} holds {data[i]} at sample {i / width}, feature {i % width}: expected finite values.", paramName);
        }
        return data;
    }

    private static void CheckShape(int rows, int actualWidth, int width, string paramName)
    {
        if (rows == 0) throw new ArgumentException($"{paramName} is empty: expected at least one sample.", paramName);
        if (actualWidth != width)
            throw new ArgumentException($"{paramName} has {actualWidth} values per sample; expected {width}.", paramName);
    }
}
