using System.Globalization;
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
    /// c[r, j] += Σ_k a[r, k]·w[k, j] for r &lt; <paramref name="rows"/>, k &lt; <paramref name="inner"/>, j &lt; <paramref name="columns"/>,
    /// over row-major blocks with row strides <paramref name="lda"/>, <paramref name="ldw"/> and <paramref name="ldc"/>
    /// (a timestep's rows of a (B, T, ·) buffer, a column block of a recurrent kernel).
    /// Each c element is one fused multiply-add chain over k in order, starting from its old value, whichever
    /// path computes it: a row's result does not depend on the rows computed beside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(ref float a, int lda, ref float w, int ldw, ref float c, int ldc, int rows, int inner, int columns)
    {
        int strip = 2 * Lanes;
        int wide = Vector.IsHardwareAccelerated ? columns / strip * strip : 0;
        for (int j = 0; j < wide; j += strip)
        {
            int r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                ref float c0 = ref Unsafe.Add(ref c, r * ldc + j);
                ref float c1 = ref Unsafe.Add(ref c0, ldc);
                ref float c2 = ref Unsafe.Add(ref c1, ldc);
                ref float c3 = ref Unsafe.Add(ref c2, ldc);
                Vector<float> s00 = Load(ref c0, 0), s01 = Load(ref c0, Lanes), s10 = Load(ref c1, 0), s11 = Load(ref c1, Lanes);
                Vector<float> s20 = Load(ref c2, 0), s21 = Load(ref c2, Lanes), s30 = Load(ref c3, 0), s31 = Load(ref c3, Lanes);
                ref float a0 = ref Unsafe.Add(ref a, r * lda);
                ref float a1 = ref Unsafe.Add(ref a0, lda);
                ref float a2 = ref Unsafe.Add(ref a1, lda);
                ref float a3 = ref Unsafe.Add(ref a2, lda);
                for (int k = 0; k < inner; k++)
                {
                    ref float wk = ref Unsafe.Add(ref w, k * ldw + j);
                    var w0 = Load(ref wk, 0);
                    var w1 = Load(ref wk, Lanes);
                    var v = new Vector<float>(Unsafe.Add(ref a0, k));
                    s00 = Vector.FusedMultiplyAdd(v, w0, s00); s01 = Vector.FusedMultiplyAdd(v, w1, s01);
                    v = new Vector<float>(Unsafe.Add(ref a1, k));
                    s10 = Vector.FusedMultiplyAdd(v, w0, s10); s11 = Vector.FusedMultiplyAdd(v, w1, s11);
                    v = new Vector<float>(Unsafe.Add(ref a2, k));
                    s20 = Vector.FusedMultiplyAdd(v, w0, s20); s21 = Vector.FusedMultiplyAdd(v, w1, s21);
                    v = new Vector<float>(Unsafe.Add(ref a3, k));
                    s30 = Vector.FusedMultiplyAdd(v, w0, s30); s31 = Vector.FusedMultiplyAdd(v, w1, s31);
                }
                Store(s00, ref c0, 0); Store(s01, ref c0, Lanes);
                Store(s10, ref c1, 0); Store(s11, ref c1, Lanes);
                Store(s20, ref c2, 0); Store(s21, ref c2, Lanes);
                Store(s30, ref c3, 0); Store(s31, ref c3, Lanes);
            }
            for (; r < rows; r++)
            {
                ref float c0 = ref Unsafe.Add(ref c, r * ldc + j);
                ref float a0 = ref Unsafe.Add(ref a, r * lda);
                Vector<float> s0 = Load(ref c0, 0), s1 = Load(ref c0, Lanes);
                for (int k = 0; k < inner; k++)
                {
                    ref float wk = ref Unsafe.Add(ref w, k * ldw + j);
                    var v = new Vector<float>(Unsafe.Add(ref a0, k));
                    s0 = Vector.FusedMultiplyAdd(v, Load(ref wk, 0), s0);
                    s1 = Vector.FusedMultiplyAdd(v, Load(ref wk, Lanes), s1);
                }
                Store(s0, ref c0, 0); Store(s1, ref c0, Lanes);
            }
        }
        // The columns past the last strip: the same chain, one element at a time.
        for (int r = 0; r < rows; r++)
        {
            ref float a0 = ref Unsafe.Add(ref a, r * lda);
            for (int j = wide; j < columns; j++)
            {
                ref float cj = ref Unsafe.Add(ref c, r * ldc + j);
                float sum = cj;
                for (int k = 0; k < inner; k++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref a0, k), Unsafe.Add(ref w, k * ldw + j), sum);
                cj = sum;
            }
        }
    }

    /// <summary>
    /// c[r, k] = Σ_j a[r, j]·w[k, j] (or += with <paramref name="accumulate"/>) for r &lt; <paramref name="rows"/>,
    /// k &lt; <paramref name="outputs"/>, j &lt; <paramref name="inner"/>: a times wᵀ, strided as in <see cref="MultiplyAdd"/>.
    /// Each dot product is computed in one order whichever path computes it: per-lane chains over whole vectors,
    /// the lanes summed, then the tail; a row's result does not depend on the rows computed beside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposed(ref float a, int lda, ref float w, int ldw, ref float c, int ldc, int rows, int inner, int outputs, bool accumulate)
    {
        int vectors = Vector.IsHardwareAccelerated ? inner / Lanes * Lanes : 0;
        int r = 0;
        for (; r + 2 <= rows; r += 2)
        {
            ref float a0 = ref Unsafe.Add(ref a, r * lda);
            ref float a1 = ref Unsafe.Add(ref a0, lda);
            ref float c0 = ref Unsafe.Add(ref c, r * ldc);
            ref float c1 = ref Unsafe.Add(ref c0, ldc);
            int k = 0;
            for (; k + 4 <= outputs; k += 4)
            {
                Vector<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
                ref float w0 = ref Unsafe.Add(ref w, k * ldw);
                ref float w1 = ref Unsafe.Add(ref w0, ldw);
                ref float w2 = ref Unsafe.Add(ref w1, ldw);
                ref float w3 = ref Unsafe.Add(ref w2, ldw);
                for (int j = 0; j < vectors; j += Lanes)
                {
                    var u0 = Load(ref a0, j);
                    var u1 = Load(ref a1, j);
                    var v0 = Load(ref w0, j);
                    var v1 = Load(ref w1, j);
                    var v2 = Load(ref w2, j);
                    var v3 = Load(ref w3, j);
                    s00 = Vector.FusedMultiplyAdd(u0, v0, s00); s01 = Vector.FusedMultiplyAdd(u0, v1, s01);
                    s02 = Vector.FusedMultiplyAdd(u0, v2, s02); s03 = Vector.FusedMultiplyAdd(u0, v3, s03);
                    s10 = Vector.FusedMultiplyAdd(u1, v0, s10); s11 = Vector.FusedMultiplyAdd(u1, v1, s11);
                    s12 = Vector.FusedMultiplyAdd(u1, v2, s12); s13 = Vector.FusedMultiplyAdd(u1, v3, s13);
                }
                Finish(s00, ref a0, ref w0, vectors, inner, ref Unsafe.Add(ref c0, k), accumulate);
                Finish(s01, ref a0, ref w1, vectors, inner, ref Unsafe.Add(ref c0, k + 1), accumulate);
                Finish(s02, ref a0, ref w2, vectors, inner, ref Unsafe.Add(ref c0, k + 2), accumulate);
                Finish(s03, ref a0, ref w3, vectors, inner, ref Unsafe.Add(ref c0, k + 3), accumulate);
                Finish(s10, ref a1, ref w0, vectors, inner, ref Unsafe.Add(ref c1, k), accumulate);
                Finish(s11, ref a1, ref w1, vectors, inner, ref Unsafe.Add(ref c1, k + 1), accumulate);
                Finish(s12, ref a1, ref w2, vectors, inner, ref Unsafe.Add(ref c1, k + 2), accumulate);
                Finish(s13, ref a1, ref w3, vectors, inner, ref Unsafe.Add(ref c1, k + 3), accumulate);
            }
            for (; k < outputs; k++)
            {
                ref float wk = ref Unsafe.Add(ref w, k * ldw);
                Finish(DotLanes(ref a0, ref wk, vectors), ref a0, ref wk, vectors, inner, ref Unsafe.Add(ref c0, k), accumulate);
                Finish(DotLanes(ref a1, ref wk, vectors), ref a1, ref wk, vectors, inner, ref Unsafe.Add(ref c1, k), accumulate);
            }
        }
        for (; r < rows; r++)
        {
            ref float a0 = ref Unsafe.Add(ref a, r * lda);
            ref float c0 = ref Unsafe.Add(ref c, r * ldc);
            for (int k = 0; k < outputs; k++)
            {
                ref float wk = ref Unsafe.Add(ref w, k * ldw);
                Finish(DotLanes(ref a0, ref wk, vectors), ref a0, ref wk, vectors, inner, ref Unsafe.Add(ref c0, k), accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> DotLanes(ref float x, ref float y, int vectors)
    {
        var acc = Vector<float>.Zero;
        for (int j = 0; j < vectors; j += Lanes) acc = Vector.FusedMultiplyAdd(Load(ref x, j), Load(ref y, j), acc);
        return acc;
    }

    /// <summary>The lanes of <paramref name="acc"/> summed, then the tail of the dot product; stored into or added to <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector<float> acc, ref float x, ref float y, int vectors, int length, ref float destination, bool accumulate)
    {
        float sum = Vector.Sum(acc);
        for (int j = vectors; j < length; j++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, j), Unsafe.Add(ref y, j), sum);
        destination = accumulate ? destination + sum : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float source, int offset) => Vector.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> value, ref float destination, int offset) => value.StoreUnsafe(ref Unsafe.Add(ref destination, offset));

    /// <summary>
    /// How many parts to split a layer's batch into, each part running the whole recurrence for its rows on one
    /// thread: 1 when the layer is small or there is one thread. Rows never interact, so any split gives the same result.
    /// </summary>
    public static int BatchParts(int batch, int timesteps, int units, int gates)
    {
        if ((long)batch * timesteps * units * gates * units < 1 << 18) return 1;
        return Math.Max(1, Math.Min(Workers.Count, batch));
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/>: the batch rows [start, end).</summary>
    public static (int Start, int End) Rows(int batch, int part, int parts) =>
        ((int)((long)batch * part / parts), (int)((long)batch * (part + 1) / parts));

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

    /// <summary>
    /// Throws unless <paramref name="mask"/> is empty (no masking) or holds B·T floats, indexed like x by (row, input
    /// time), each 0 (the step is masked) or 1 (kept).
    /// </summary>
    public static void CheckMask(ReadOnlySpan<float> mask, int batch, int timesteps)
    {
        if (mask.IsEmpty) return;
        CheckLength(mask.Length, (long)batch * timesteps, nameof(mask));
        for (int i = 0; i < mask.Length; i++)
        {
            float value = mask[i];
            if (value != 0f && value != 1f)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Expected mask to hold only 0 or 1; got {value} at index {i} (row {i / timesteps}, time {i % timesteps})."), nameof(mask));
            }
        }
    }

    /// <summary>Whether the step at <paramref name="index"/> = row·T + t is kept: always without a mask (null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe bool Kept(float* mask, long index) => mask == null || mask[index] != 0f;

    /// <summary>
    /// After a step's recurrent product dh_{s−1} = … @ Rᵀ over a part's rows [r0, r1): for each row masked at input time
    /// t, its dh, kept meanwhile in the first U floats of its row of <paramref name="kept"/> ((B, T, width) indexed by input
    /// time), goes back to dh, so that it passes unchanged to the state the masked step carried; the kept floats are cleared.
    /// </summary>
    public static unsafe void RestoreMasked(float* mask, float* kept, int width, float* dh, int r0, int r1, int t, int timesteps, int units)
    {
        for (int r = r0; r < r1; r++)
        {
            long row = (long)r * timesteps + t;
            if (Kept(mask, row)) continue;
            var stash = new Span<float>(kept + row * width, units);
            stash.CopyTo(new Span<float>(dh + (long)r * units, units));
            stash.Clear();
        }
    }

    /// <summary>Throws unless <paramref name="length"/> is at least <paramref name="expected"/> (caches and scratch may be larger).</summary>
    public static void CheckAtLeast(int length, long expected, string name)
    {
        if (length < expected) throw new ArgumentException($"Expected {name} to hold at least {expected} floats; got {length}.", name);
    }
}
