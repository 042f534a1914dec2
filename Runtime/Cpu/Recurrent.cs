using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Cpu;

/// <summary>Vector helpers and argument checks shared by <see cref="Lstm"/> and <see cref="Gru"/>.</summary>
internal static class Recurrent
{
    private static int Lanes => Vector<float>.Count;

    /// <summary>The input timestep read at processing step <paramref name="step"/>: reversed under go_backwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Time(int step, int timesteps, bool goBackwards) => goBackwards ? timesteps - 1 - step : step;

    /// <summary>y += a·x over x's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("y is shorter than x.", nameof(y));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; j + Lanes <= x.Length; j += Lanes)
                Vector.FusedMultiplyAdd(va, Vector.LoadUnsafe(ref Unsafe.Add(ref xr, j)), Vector.LoadUnsafe(ref Unsafe.Add(ref yr, j)))
                    .StoreUnsafe(ref Unsafe.Add(ref yr, j));
        }
        for (; j < x.Length; j++) Unsafe.Add(ref yr, j) = MathF.FusedMultiplyAdd(a, Unsafe.Add(ref xr, j), Unsafe.Add(ref yr, j));
    }

    /// <summary>Σ x·y over x's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("y is shorter than x.", nameof(y));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int j = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; j + Lanes <= x.Length; j += Lanes)
                acc = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Unsafe.Add(ref xr, j)), Vector.LoadUnsafe(ref Unsafe.Add(ref yr, j)), acc);
            sum = Vector.Sum(acc);
        }
        for (; j < x.Length; j++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref xr, j), Unsafe.Add(ref yr, j), sum);
        return sum;
    }

    /// <summary>
    /// The layer's output from its hidden states (B, T, U) in processing order: all of them with
    /// <paramref name="returnSequences"/>, else each row's last one (B, U).
    /// </summary>
    public static void WriteOutput(ReadOnlySpan<float> hidden, Span<float> output, int batch, int timesteps, int units, bool returnSequences)
    {
        if (returnSequences)
        {
            hidden.CopyTo(output);
            return;
        }
        for (int r = 0; r < batch; r++) hidden.Slice((r * timesteps + timesteps - 1) * units, units).CopyTo(output.Slice(r * units, units));
    }

    public static void CheckShape(int batch, int timesteps, int features, int units)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Expected a positive batch size.");
        if (timesteps <= 0) throw new ArgumentOutOfRangeException(nameof(timesteps), timesteps, "Expected at least one timestep.");
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "Expected a positive number of features.");
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "Expected a positive number of units.");
    }

    /// <summary>Throws unless <paramref name="length"/> is exactly <paramref name="expected"/>.</summary>
    public static void CheckLength(int length, long expected, string name)
    {
        if (length != expected) throw new ArgumentException($"Expected {name} to hold {expected} floats; got {length}.", name);
    }

    /// <summary>Throws unless <paramref name="length"/> is at least <paramref name="expected"/> (caches and scratch may be larger).</summary>
    public static void CheckAtLeast(int length, long expected, string name)
    {
        if (length < expected) throw new ArgumentException($"Expected {name} to hold at least {expected} floats; got {length}.", name);
    }
}
