namespace Gen;

/// <summary>The argument checks every generated model makes, written once: each names the argument with the expected and actual sizes.</summary>
public static class ModelChecks
{
    /// <summary>
    /// Checks one batch against a model's sizes: at least one sample, x of batch × <paramref name="inputSize"/> floats and,
    /// when <paramref name="checkTargets"/>, y of batch × <paramref name="targetSize"/> and one sample weight per sample
    /// (or none). Throws an <see cref="ArgumentException"/> naming the argument with the expected and actual sizes.
    /// </summary>
    public static void CheckBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch,
        int inputSize, int targetSize, bool checkTargets)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Expected a batch of at least one sample.");
        if (x.Length != (long)batch * inputSize)
            throw new ArgumentException($"Expected x to hold {batch} × {inputSize} = {(long)batch * inputSize} floats; got {x.Length}.", nameof(x));
        if (!checkTargets) return;
        if (y.Length != (long)batch * targetSize)
            throw new ArgumentException($"Expected y to hold {batch} × {targetSize} = {(long)batch * targetSize} floats; got {y.Length}.", nameof(y));
        if (!sampleWeight.IsEmpty && sampleWeight.Length != batch)
            throw new ArgumentException($"Expected one sample weight per sample ({batch}); got {sampleWeight.Length}.", nameof(sampleWeight));
    }

    /// <summary>Copies a model's buffer out to <paramref name="destination"/>, which must hold exactly as many floats.</summary>
    public static void CopyOut(ReadOnlySpan<float> buffer, Span<float> destination, string paramName, string what)
    {
        CheckLength(destination.Length, buffer.Length, paramName, what);
        buffer.CopyTo(destination);
    }

    /// <summary>Overwrites a model's buffer with <paramref name="values"/>, which must hold exactly as many floats.</summary>
    public static void CopyIn(ReadOnlySpan<float> values, Span<float> buffer, string paramName, string what)
    {
        CheckLength(values.Length, buffer.Length, paramName, what);
        values.CopyTo(buffer);
    }

    private static void CheckLength(int actual, int expected, string paramName, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"Expected {expected} floats ({what}); got {actual}.", paramName);
    }
}
