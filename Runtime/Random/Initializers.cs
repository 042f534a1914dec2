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
        Philox.FillUniform(kernel, seed, stream);
        for (int i = 0; i < kernel.Length; i++) kernel[i] = (2f * kernel[i] - 1f) * limit;
    }

    /// <summary>√(6 / (fanIn + fanOut)), computed in float64 and rounded once.</summary>
    public static float GlorotLimit(int fanIn, int fanOut) => (float)Math.Sqrt(6.0 / Math.Max(1, fanIn + fanOut));
}
