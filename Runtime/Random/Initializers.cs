namespace Gen;

/// <summary>Weight initialisers with Keras's definitions, drawing from <see cref="Philox"/> so a seed gives the same weights everywhere.</summary>
public static class Initializers
{
    /// <summary>
    /// Glorot (Xavier) uniform: U(−limit, limit) with limit = √(6 / (fanIn + fanOut)), Keras's default kernel
    /// initialiser. A kernel of shape (fanIn, fanOut) is filled row-major; <paramref name="stream"/> keeps the
    /// layers of one model apart under one seed.
    /// </summary>
    public static void GlorotUniform(Span<float> kernel, int fanIn, int fanOut, ulong seed, ulong stream)
    {
        if (kernel.Length != fanIn * fanOut)
            throw new ArgumentException($"Expected a kernel of {fanIn} × {fanOut} = {fanIn * fanOut} floats; got {kernel.Length}.", nameof(kernel));
        float limit = GlorotLimit(fanIn, fanOut);
        RandomUniform(kernel, -limit, limit, seed, stream);
    }

    /// <summary>
    /// Keras's <c>RandomUniform(minval, maxval)</c> (Embedding's default, with ±0.05): U(minValue, maxValue), filled in
    /// order. Each value is (2u − 1)·h + m with u from <see cref="Philox.FillUniform"/>, h = (max − min)/2 and
    /// m = (max + min)/2: for a range ±L that is exactly (2u − 1)·L, so <see cref="GlorotUniform"/> draws through here.
    /// </summary>
    public static void RandomUniform(Span<float> values, float minValue, float maxValue, ulong seed, ulong stream)
    {
        if (!float.IsFinite(minValue))
            throw new ArgumentOutOfRangeException(nameof(minValue), minValue, $"Expected a finite minValue; got {minValue}.");
        if (!float.IsFinite(maxValue) || maxValue < minValue)
            throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, $"Expected a finite maxValue >= minValue {minValue}; got {maxValue}.");
        // Halves first, so a range as wide as ±float.MaxValue does not overflow.
        float half = 0.5f * maxValue - 0.5f * minValue;
        float middle = 0.5f * maxValue + 0.5f * minValue;
        Philox.FillUniform(values, seed, stream);
        for (int i = 0; i < values.Length; i++) values[i] = (2f * values[i] - 1f) * half + middle;
    }

    /// <summary>√(6 / (fanIn + fanOut)), computed in float64 and rounded once.</summary>
    public static float GlorotLimit(int fanIn, int fanOut) => (float)Math.Sqrt(6.0 / Math.Max(1, fanIn + fanOut));

    /// <summary>
    /// Keras's <c>Orthogonal</c> initialiser (gain 1), Keras's default recurrent kernel initialiser: a standard-normal
    /// matrix A of shape (max(rows, cols), min(rows, cols)), its reduced QR decomposition A = QR, Q's columns multiplied
    /// by sign(diag R), then Q transposed when rows &lt; cols, so the result (rows, cols) has orthonormal rows when
    /// rows &lt; cols and orthonormal columns otherwise. A recurrent kernel (U, 4U) is one flat (U, 4U) matrix.
    /// <para>
    /// The normals come from <see cref="Philox"/> by Box–Muller (counter block k gives elements 2k and 2k + 1, row-major
    /// in A); the QR is modified Gram–Schmidt with re-orthogonalisation in float64, whose R has a positive diagonal, so
    /// it is already the sign-corrected Q. Allocates its float64 work matrix: an initialiser, not a kernel.
    /// </para>
    /// </summary>
    public static void Orthogonal(Span<float> matrix, int rows, int cols, ulong seed, ulong stream)
    {
        if (rows <= 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Expected a positive number of rows.");
        if (cols <= 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "Expected a positive number of columns.");
        if (matrix.Length != (long)rows * cols)
            throw new ArgumentException($"Expected a matrix of {rows} × {cols} = {(long)rows * cols} floats; got {matrix.Length}.", nameof(matrix));
        int n = Math.Max(rows, cols), m = Math.Min(rows, cols);
        var a = new double[n * m];
        FillStandardNormal(a, seed, stream);
        // Column j of A (n × m, row-major) is a[i * m + j]; orthonormalise the columns in place.
        for (int j = 0; j < m; j++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < j; p++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += a[i * m + p] * a[i * m + j];
                    for (int i = 0; i < n; i++) a[i * m + j] -= dot * a[i * m + p];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += a[i * m + j] * a[i * m + j];
            norm = Math.Sqrt(norm);
            if (norm == 0) throw new InvalidOperationException("The normal matrix is rank-deficient.");
            for (int i = 0; i < n; i++) a[i * m + j] /= norm;
        }
        if (rows >= cols)
        {
            for (int i = 0; i < a.Length; i++) matrix[i] = (float)a[i];
        }
        else
        {
            // Qᵀ: matrix[r, c] = Q[c, r], with Q (cols × rows).
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) matrix[r * cols + c] = (float)a[c * m + r];
        }
    }

    /// <summary>
    /// Keras's LSTM bias with <c>unit_forget_bias=True</c> and the default zeros initialiser: [0 (U), 1 (U), 0 (2U)],
    /// the forget block exactly 1.
    /// </summary>
    public static void LstmBias(Span<float> bias, int units)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "Expected a positive number of units.");
        if (bias.Length != 4L * units) throw new ArgumentException($"Expected a bias of 4 × {units} = {4L * units} floats; got {bias.Length}.", nameof(bias));
        bias.Clear();
        bias.Slice(units, units).Fill(1f);
    }

    /// <summary>Standard normals by Box–Muller from 53-bit Philox uniforms: block k gives elements 2k and 2k + 1.</summary>
    private static void FillStandardNormal(Span<double> destination, ulong seed, ulong stream)
    {
        const double Scale = 1.0 / (1UL << 53);
        for (int block = 0; block * 2 < destination.Length; block++)
        {
            var (w0, w1, w2, w3) = Philox.Generate(seed, (uint)block, (uint)((ulong)block >> 32), (uint)stream, (uint)(stream >> 32));
            double u1 = (((((ulong)w0 << 32) | w1) >> 11) + 1) * Scale; // (0, 1]: the logarithm is finite
            double u2 = ((((ulong)w2 << 32) | w3) >> 11) * Scale;        // [0, 1)
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double angle = 2.0 * Math.PI * u2;
            destination[2 * block] = radius * Math.Cos(angle);
            if (2 * block + 1 < destination.Length) destination[2 * block + 1] = radius * Math.Sin(angle);
        }
    }
}
