using System.Globalization;
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
    public float[] Flatten(int width, string paramName, out int rows) => DataChecks.Flatten(_source, width, paramName, paramName, allowVector: false, out rows);

    /// <summary>As <see cref="Flatten(int, string, out int)"/>, naming the data <paramref name="displayName"/> in messages (e.g. "validationData.X").</summary>
    internal float[] Flatten(int width, string paramName, string displayName, out int rows) => DataChecks.Flatten(_source, width, paramName, displayName, allowVector: false, out rows);

    /// <summary>
    /// The features of a model with several inputs: each part checked and flattened with its width, then the parts'
    /// columns side by side in one row-major <c>float[n, Σ widths]</c>, as the generated model reads them. Errors name
    /// the part by <paramref name="names"/>[i] (e.g. "x.Text").
    /// </summary>
    /// <exception cref="ArgumentException">Spans of different lengths, no parts, a width below 1, a part of the wrong
    /// shape or with NaN or infinity, or parts with different sample counts.</exception>
    public static Features Join(ReadOnlySpan<Features> parts, ReadOnlySpan<int> widths, ReadOnlySpan<string> names)
    {
        var sources = parts.ToArray();
        return DataChecks.JoinColumns(sources.Length, widths, names, (i, width, name) =>
        {
            var flat = sources[i].Flatten(width, name, name, out int rows);
            return (flat, rows);
        });
    }
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
    public float[] Flatten(int width, string paramName, out int rows) => DataChecks.Flatten(_source, width, paramName, paramName, allowVector: true, out rows);

    /// <summary>As <see cref="Flatten(int, string, out int)"/>, naming the data <paramref name="displayName"/> in messages (e.g. "validationData.Y").</summary>
    internal float[] Flatten(int width, string paramName, string displayName, out int rows) => DataChecks.Flatten(_source, width, paramName, displayName, allowVector: true, out rows);

    /// <summary>
    /// The targets of a multi-output model: each part (any form a <see cref="Targets"/> takes) checked and flattened with
    /// its width, then the parts' columns side by side in one row-major <c>float[n, Σ widths]</c>, as
    /// <see cref="MultiOutputLoss"/> reads them. Errors name the part by <paramref name="names"/>[i] (e.g. "y.Price"),
    /// which is also their parameter name.
    /// </summary>
    /// <exception cref="ArgumentNullException">A part is null (<c>default(Targets)</c>).</exception>
    /// <exception cref="ArgumentException">Spans of different lengths, no parts, a width below 1, a part of the wrong
    /// shape or with NaN or infinity, or parts with different sample counts.</exception>
    public static Targets Join(ReadOnlySpan<Targets> parts, ReadOnlySpan<int> widths, ReadOnlySpan<string> names)
    {
        var sources = parts.ToArray();
        return DataChecks.JoinColumns(sources.Length, widths, names, (i, width, name) =>
        {
            var flat = sources[i].Flatten(width, name, name, out int rows);
            return (flat, rows);
        });
    }
}

/// <summary>
/// The run-time checks on user data. Each failure is an <see cref="ArgumentException"/> (or
/// <see cref="ArgumentOutOfRangeException"/>) that names the argument, the expected and the actual value;
/// nothing is truncated, padded or broadcast. Messages format numbers with the invariant culture.
/// </summary>
internal static class DataChecks
{
    private static readonly IFormatProvider Invariant = CultureInfo.InvariantCulture;

    /// <summary>Flattens <paramref name="count"/> parts with their widths and puts their columns side by side.</summary>
    public static float[,] JoinColumns(int count, ReadOnlySpan<int> widths, ReadOnlySpan<string> names, Func<int, int, string, (float[] Data, int Rows)> flatten)
    {
        if (count == 0) throw new ArgumentException("Expected at least one part; got none.", "parts");
        if (widths.Length != count)
            throw new ArgumentException($"Expected one width per part ({count}); got {widths.Length}.", nameof(widths));
        if (names.Length != count)
            throw new ArgumentException($"Expected one name per part ({count}); got {names.Length}.", nameof(names));
        var flat = new float[count][];
        int rows = 0;
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            string name = names[i] ?? throw new ArgumentException($"names[{i}] is null; expected the part's name.", nameof(names));
            if (widths[i] < 1)
                throw new ArgumentOutOfRangeException(nameof(widths), widths[i], $"Expected a width of at least 1 for {name}; got {widths[i]}.");
            (flat[i], int n) = flatten(i, widths[i], name);
            if (i == 0) rows = n;
            else CheckSameCount(n, rows, name, name, names[0]);
            total += widths[i];
            if ((long)rows * total > Array.MaxLength)
                throw new ArgumentException($"The parts up to {name} hold {(long)rows * total} values; at most {Array.MaxLength} fit in one buffer.", name);
        }
        var joined = new float[rows, (int)total];
        var destination = Cpu.Columns.AsSpan(joined);
        for (int i = 0, offset = 0; i < count; offset += widths[i], i++)
            Cpu.Columns.ScatterCore(flat[i], rows, widths[i], destination, (int)total, offset, 1f);
        return joined;
    }

    public static float[] Flatten(object? source, int width, string paramName, string name, bool allowVector, out int rows)
    {
        float[] data;
        int actualWidth;
        switch (source)
        {
            case null:
                throw new ArgumentNullException(paramName, $"{name} is null: expected at least one sample.");
            case float[,] m:
                rows = m.GetLength(0);
                actualWidth = m.GetLength(1);
                CheckShape(rows, actualWidth, width, paramName, name);
                data = new float[rows * width];
                Buffer.BlockCopy(m, 0, data, 0, data.Length * sizeof(float));
                break;
            case float[][] jagged:
                rows = jagged.Length;
                CheckShape(rows, width, width, paramName, name);
                data = new float[rows * width];
                for (int r = 0; r < rows; r++)
                {
                    var row = jagged[r] ?? throw new ArgumentException($"{name}[{r}] is null: expected {width} values.", paramName);
                    if (row.Length != width)
                        throw new ArgumentException($"{name}[{r}] has {row.Length} values; expected {width} per sample.", paramName);
                    row.CopyTo(data, r * width);
                }
                break;
            case Tensor<float> t:
                if (t.Rank < 1) throw new ArgumentException($"{name} has rank 0: expected a first dimension of samples.", paramName);
                rows = (int)t.Lengths[0];
                actualWidth = rows == 0 ? 0 : (int)(t.FlattenedLength / rows);
                if (t.Rank == 1 && allowVector) actualWidth = 1;
                CheckShape(rows, actualWidth, width, paramName, name);
                data = new float[rows * width];
                t.FlattenTo(data);
                break;
            case float[] v when allowVector:
                rows = v.Length;
                CheckShape(rows, 1, width, paramName, name);
                data = (float[])v.Clone();
                break;
            case int[] labels when allowVector:
                rows = labels.Length;
                CheckShape(rows, 1, width, paramName, name);
                data = new float[rows];
                for (int i = 0; i < rows; i++) data[i] = labels[i];
                return data;
            default:
                throw new ArgumentException($"{name} has an unsupported type {source.GetType().Name}.", paramName);
        }
        CheckFinite(data, width, paramName, name);
        return data;
    }

    private static void CheckShape(int rows, int actualWidth, int width, string paramName, string name)
    {
        if (rows == 0) throw new ArgumentException($"{name} is empty: expected at least 1 sample; got 0.", paramName);
        if (actualWidth != width)
            throw new ArgumentException($"{name} has {actualWidth} values per sample; expected {width}.", paramName);
        if ((long)rows * width > Array.MaxLength)
            throw new ArgumentException($"{name} holds {(long)rows * width} values; at most {Array.MaxLength} fit in one buffer.", paramName);
    }

    /// <summary>Throws unless every value is finite; the message gives the first bad sample and feature.</summary>
    public static void CheckFinite(ReadOnlySpan<float> data, int width, string paramName, string name)
    {
        if (TensorPrimitives.IsFiniteAll(data)) return;
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                throw new ArgumentException(string.Create(Invariant,
                    $"{name} holds {data[i]} at sample {i / width}, feature {i % width}: expected finite values."), paramName);
        }
    }

    /// <summary>Throws unless the two sample counts agree.</summary>
    public static void CheckSameCount(int actual, int expected, string paramName, string name, string reference)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} samples; expected {expected}, as {reference}.", paramName);
    }

    /// <summary>Throws unless each label is a whole number in [0, classes).</summary>
    public static void CheckLabels(ReadOnlySpan<float> labels, int classes, string paramName, string name) =>
        CheckLabels(labels, 1, 0, classes, null, paramName, name, null);

    /// <summary>
    /// Throws unless column <paramref name="column"/> of each row of <paramref name="y"/> (rows of <paramref name="rowWidth"/>)
    /// is a whole number in [0, classes) or <paramref name="ignoreClass"/>; the message names the row and, when given,
    /// the output the column belongs to.
    /// </summary>
    public static void CheckLabels(ReadOnlySpan<float> y, int rowWidth, int column, int classes, int? ignoreClass,
        string paramName, string name, string? output)
    {
        for (int row = 0, i = column; i < y.Length; row++, i += rowWidth)
        {
            float label = y[i];
            if ((label >= 0 && label < classes && label == MathF.Floor(label)) || (ignoreClass is int ignored && label == ignored)) continue;
            string forOutput = output is null ? "" : $" for output \"{output}\"";
            string orIgnored = ignoreClass is int k ? string.Create(Invariant, $" or the ignored class {k}") : "";
            throw new ArgumentOutOfRangeException(paramName, label, string.Create(Invariant,
                $"{name}[{row}] is {label}{forOutput}: expected a whole-number class label in [0, {classes}){orIgnored}."));
        }
    }

    /// <summary>Throws unless there is one finite, non-negative weight per sample.</summary>
    public static void CheckWeights(ReadOnlySpan<float> weights, int samples, string paramName, string name)
    {
        if (weights.Length != samples)
            throw new ArgumentException($"{name} has {weights.Length} values; expected {samples}, one per sample.", paramName);
        if (TensorPrimitives.IsFiniteAll(weights) && TensorPrimitives.Min(weights) >= 0) return;
        for (int i = 0; i < weights.Length; i++)
        {
            if (!(float.IsFinite(weights[i]) && weights[i] >= 0))
                throw new ArgumentOutOfRangeException(paramName, weights[i], string.Create(Invariant,
                    $"{name}[{i}] is {weights[i]}: expected a finite weight >= 0."));
        }
    }
}
