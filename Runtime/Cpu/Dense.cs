using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gen.Cpu;

/// <summary>
/// The affine map of a dense layer and its gradients, row-major, with Keras's kernel layout W (inputs, units).
/// <para>
/// Every output element is one fused multiply-add chain in a fixed order (over inputs from the bias for y, over
/// rows for dW, over outputs for dx), whichever code path computes it: register-blocked micro-kernels on whole
/// strips, the same kernels on a zero-padded copy of the edge strip, and plain loops without SIMD give bit-identical
/// results. So a sample's result does not depend on the batch it is in, where in the batch it sits, or the thread count.
/// </para>
/// </summary>
public static class Dense
{
    private static int Lanes => Vector<float>.Count;

    /// <summary>
    /// Whether pairs of strips go through 512-bit kernels: where those run natively and <see cref="Vector{T}"/> is half as
    /// wide (as .NET makes it by default). The strip, the unit of splitting and padding, stays 2 × <see cref="Vector{T}"/>.
    /// </summary>
    private static bool Use512 => Vector512.IsHardwareAccelerated && Vector<float>.Count == 8;

    /// <summary>x (B, I) @ W (I, O) + b (O) -> y (B, O). An empty <paramref name="bias"/> means no bias.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int outputs)
    {
        CheckLengths(x.Length, batch * inputs, nameof(x), weights.Length, inputs * outputs, y.Length, batch * outputs, nameof(y));
        if (!bias.IsEmpty && bias.Length != outputs) throw new ArgumentException($"Expected {outputs} biases; got {bias.Length}.", nameof(bias));
        int parts = ColumnParts(batch, inputs, outputs);
        var scratch = EdgeScratch(outputs, inputs + batch + 1);
        if (parts == 1)
        {
            ForwardColumns(x, weights, bias, y, batch, inputs, outputs, 0, outputs, scratch);
            return;
        }
        fixed (float* px = x, pw = weights, pb = bias, py = y, ps = scratch)
        {
            var job = new Job { A = px, W = pw, B = pb, Out = py, Scratch = ps, Batch = batch, Inputs = inputs, Outputs = outputs, Parts = parts, BiasLength = bias.Length, ScratchLength = scratch.Length };
            Workers.Run(&ForwardPart, &job, parts);
        }
    }

    private static unsafe void ForwardPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (c0, c1) = j.Columns(part);
        ForwardColumns(new(j.A, j.Batch * j.Inputs), new(j.W, j.Inputs * j.Outputs), new(j.B, j.BiasLength), new(j.Out, j.Batch * j.Outputs),
            j.Batch, j.Inputs, j.Outputs, c0, c1, new(j.Scratch, j.ScratchLength));
    }

    /// <summary>Forward for the output columns [c0, c1); c0 is a multiple of the strip width.</summary>
    private static void ForwardColumns(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int outputs, int c0, int c1, Span<float> scratch)
    {
        int wide = Math.Min(c1, WideColumns(outputs));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ForwardStrips(ref xr, ref MemoryMarshal.GetReference(weights), outputs, bias, ref MemoryMarshal.GetReference(y), outputs, batch, inputs, c0, wide);
        int first = Math.Max(c0, wide), edge = c1 - first;
        if (edge <= 0) return;
        if (Vector.IsHardwareAccelerated)
        {
            // The columns past the last whole strip: copied into one zero-padded strip of W (and of b), computed by the
            // same micro-kernel into a padded strip of y, then copied out. Each element is still bias + the chain over inputs.
            int strip = 2 * Lanes;
            var w = scratch[..(inputs * strip)];
            var b = scratch.Slice(inputs * strip, strip);
            var o = scratch.Slice((inputs + 1) * strip, batch * strip);
            for (int k = 0; k < inputs; k++) Pad(weights.Slice(k * outputs + first, edge), w.Slice(k * strip, strip));
            if (bias.IsEmpty) b.Clear();
            else Pad(bias.Slice(first, edge), b);
            ForwardStrips(ref xr, ref MemoryMarshal.GetReference(w), strip, b, ref MemoryMarshal.GetReference(o), strip, batch, inputs, 0, strip);
            for (int r = 0; r < batch; r++) o.Slice(r * strip, edge).CopyTo(y.Slice(r * outputs + first, edge));
            return;
        }
        for (int r = 0; r < batch; r++)
        {
            for (int j = first; j < c1; j++)
            {
                float acc = bias.IsEmpty ? 0f : bias[j];
                for (int k = 0; k < inputs; k++) acc = MathF.FusedMultiplyAdd(x[r * inputs + k], weights[k * outputs + j], acc);
                y[r * outputs + j] = acc;
            }
        }
    }

    /// <summary>
    /// <see cref="ForwardStrips"/> for pairs of strips as 512-bit vectors, where they run natively: the same chains, lane for
    /// lane, in fewer instructions. Returns the first column it left to the caller (a single strip at most).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ForwardStrips512(ref float xr, ref float wr, int ldw, ReadOnlySpan<float> bias, ref float yr, int ldy, int batch, int inputs, int c0, int c1)
    {
        const int Wide = 16;
        int c = c0;
        for (; c + 2 * Wide <= c1; c += 2 * Wide)
        {
            var b0 = bias.IsEmpty ? Vector512<float>.Zero : Vector512.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(bias), c));
            var b1 = bias.IsEmpty ? Vector512<float>.Zero : Vector512.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(bias), c + Wide));
            int r = 0;
            for (; r + 8 <= batch; r += 8)
            {
                Vector512<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                Vector512<float> a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
                ref float x0 = ref Unsafe.Add(ref xr, r * inputs);
                for (int k = 0; k < inputs; k++)
                {
                    ref float wk = ref Unsafe.Add(ref wr, k * ldw + c);
                    var w0 = Vector512.LoadUnsafe(ref wk);
                    var w1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref wk, Wide));
                    ref float xk = ref Unsafe.Add(ref x0, k);
                    var v = Vector512.Create(xk);
                    a00 = Vector512.FusedMultiplyAdd(v, w0, a00); a01 = Vector512.FusedMultiplyAdd(v, w1, a01);
                    v = Vector512.Create(Unsafe.Add(ref xk, inputs));
                    a10 = Vector512.FusedMultiplyAdd(v, w0, a10); a11 = Vector512.FusedMultiplyAdd(v, w1, a11);
                    v = Vector512.Create(Unsafe.Add(ref xk, 2 * inputs));
                    a20 = Vector512.FusedMultiplyAdd(v, w0, a20); a21 = Vector512.FusedMultiplyAdd(v, w1, a21);
                    v = Vector512.Create(Unsafe.Add(ref xk, 3 * inputs));
                    a30 = Vector512.FusedMultiplyAdd(v, w0, a30); a31 = Vector512.FusedMultiplyAdd(v, w1, a31);
                    v = Vector512.Create(Unsafe.Add(ref xk, 4 * inputs));
                    a40 = Vector512.FusedMultiplyAdd(v, w0, a40); a41 = Vector512.FusedMultiplyAdd(v, w1, a41);
                    v = Vector512.Create(Unsafe.Add(ref xk, 5 * inputs));
                    a50 = Vector512.FusedMultiplyAdd(v, w0, a50); a51 = Vector512.FusedMultiplyAdd(v, w1, a51);
                    v = Vector512.Create(Unsafe.Add(ref xk, 6 * inputs));
                    a60 = Vector512.FusedMultiplyAdd(v, w0, a60); a61 = Vector512.FusedMultiplyAdd(v, w1, a61);
                    v = Vector512.Create(Unsafe.Add(ref xk, 7 * inputs));
                    a70 = Vector512.FusedMultiplyAdd(v, w0, a70); a71 = Vector512.FusedMultiplyAdd(v, w1, a71);
                }
                ref float y0 = ref Unsafe.Add(ref yr, r * ldy + c);
                Store512(a00, a01, ref y0);
                Store512(a10, a11, ref Unsafe.Add(ref y0, ldy));
                Store512(a20, a21, ref Unsafe.Add(ref y0, 2 * ldy));
                Store512(a30, a31, ref Unsafe.Add(ref y0, 3 * ldy));
                Store512(a40, a41, ref Unsafe.Add(ref y0, 4 * ldy));
                Store512(a50, a51, ref Unsafe.Add(ref y0, 5 * ldy));
                Store512(a60, a61, ref Unsafe.Add(ref y0, 6 * ldy));
                Store512(a70, a71, ref Unsafe.Add(ref y0, 7 * ldy));
            }
            for (; r < batch; r++)
            {
                Vector512<float> a0 = b0, a1 = b1;
                ref float x0 = ref Unsafe.Add(ref xr, r * inputs);
                for (int k = 0; k < inputs; k++)
                {
                    ref float wk = ref Unsafe.Add(ref wr, k * ldw + c);
                    var v = Vector512.Create(Unsafe.Add(ref x0, k));
                    a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref wk), a0);
                    a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref Unsafe.Add(ref wk, Wide)), a1);
                }
                Store512(a0, a1, ref Unsafe.Add(ref yr, r * ldy + c));
            }
        }
        return c;
    }

    /// <summary>
    /// y[:, c0..c1) = x @ W[:, c0..c1) + b[c0..c1) for whole strips of 2 vectors; W's and y's rows are <paramref name="ldw"/> and
    /// <paramref name="ldy"/> floats apart; an empty <paramref name="bias"/> means none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardStrips(ref float xr, ref float wr, int ldw, ReadOnlySpan<float> bias, ref float yr, int ldy, int batch, int inputs, int c0, int c1)
    {
        if (Use512) c0 = ForwardStrips512(ref xr, ref wr, ldw, bias, ref yr, ldy, batch, inputs, c0, c1);
        int strip = 2 * Lanes;
        // Column strips outside, so a strip of W (inputs × 2 vectors) stays in cache across the row blocks.
        for (int c = c0; c < c1; c += strip)
        {
            var b0 = bias.IsEmpty ? Vector<float>.Zero : LoadVector(bias, c);
            var b1 = bias.IsEmpty ? Vector<float>.Zero : LoadVector(bias, c + Lanes);
            int r = 0;
            for (; r + 8 <= batch; r += 8)
            {
                // 8 rows × 2 vectors: 16 accumulators, each W load feeding 8 FMAs.
                Vector<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                Vector<float> a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
                ref float x0 = ref Unsafe.Add(ref xr, r * inputs);
                for (int k = 0; k < inputs; k++)
                {
                    ref float wk = ref Unsafe.Add(ref wr, k * ldw + c);
                    var w0 = Vector.LoadUnsafe(ref wk);
                    var w1 = Vector.LoadUnsafe(ref Unsafe.Add(ref wk, Lanes));
                    ref float xk = ref Unsafe.Add(ref x0, k);
                    var v = new Vector<float>(xk);
                    a00 = Vector.FusedMultiplyAdd(v, w0, a00); a01 = Vector.FusedMultiplyAdd(v, w1, a01);
                    v = new Vector<float>(Unsafe.Add(ref xk, inputs));
                    a10 = Vector.FusedMultiplyAdd(v, w0, a10); a11 = Vector.FusedMultiplyAdd(v, w1, a11);
                    v = new Vector<float>(Unsafe.Add(ref xk, 2 * inputs));
                    a20 = Vector.FusedMultiplyAdd(v, w0, a20); a21 = Vector.FusedMultiplyAdd(v, w1, a21);
                    v = new Vector<float>(Unsafe.Add(ref xk, 3 * inputs));
                    a30 = Vector.FusedMultiplyAdd(v, w0, a30); a31 = Vector.FusedMultiplyAdd(v, w1, a31);
                    v = new Vector<float>(Unsafe.Add(ref xk, 4 * inputs));
                    a40 = Vector.FusedMultiplyAdd(v, w0, a40); a41 = Vector.FusedMultiplyAdd(v, w1, a41);
                    v = new Vector<float>(Unsafe.Add(ref xk, 5 * inputs));
                    a50 = Vector.FusedMultiplyAdd(v, w0, a50); a51 = Vector.FusedMultiplyAdd(v, w1, a51);
                    v = new Vector<float>(Unsafe.Add(ref xk, 6 * inputs));
                    a60 = Vector.FusedMultiplyAdd(v, w0, a60); a61 = Vector.FusedMultiplyAdd(v, w1, a61);
                    v = new Vector<float>(Unsafe.Add(ref xk, 7 * inputs));
                    a70 = Vector.FusedMultiplyAdd(v, w0, a70); a71 = Vector.FusedMultiplyAdd(v, w1, a71);
                }
                ref float y0 = ref Unsafe.Add(ref yr, r * ldy + c);
                Store(a00, a01, ref y0);
                Store(a10, a11, ref Unsafe.Add(ref y0, ldy));
                Store(a20, a21, ref Unsafe.Add(ref y0, 2 * ldy));
                Store(a30, a31, ref Unsafe.Add(ref y0, 3 * ldy));
                Store(a40, a41, ref Unsafe.Add(ref y0, 4 * ldy));
                Store(a50, a51, ref Unsafe.Add(ref y0, 5 * ldy));
                Store(a60, a61, ref Unsafe.Add(ref y0, 6 * ldy));
                Store(a70, a71, ref Unsafe.Add(ref y0, 7 * ldy));
            }
            for (; r + 4 <= batch; r += 4)
            {
                Vector<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                ref float x0 = ref Unsafe.Add(ref xr, r * inputs);
                ref float x1 = ref Unsafe.Add(ref x0, inputs);
                ref float x2 = ref Unsafe.Add(ref x1, inputs);
                ref float x3 = ref Unsafe.Add(ref x2, inputs);
                for (int k = 0; k < inputs; k++)
                {
                    ref float wk = ref Unsafe.Add(ref wr, k * ldw + c);
                    var w0 = Vector.LoadUnsafe(ref wk);
                    var w1 = Vector.LoadUnsafe(ref Unsafe.Add(ref wk, Lanes));
                    var v0 = new Vector<float>(Unsafe.Add(ref x0, k));
                    var v1 = new Vector<float>(Unsafe.Add(ref x1, k));
                    var v2 = new Vector<float>(Unsafe.Add(ref x2, k));
                    var v3 = new Vector<float>(Unsafe.Add(ref x3, k));
                    a00 = Vector.FusedMultiplyAdd(v0, w0, a00); a01 = Vector.FusedMultiplyAdd(v0, w1, a01);
                    a10 = Vector.FusedMultiplyAdd(v1, w0, a10); a11 = Vector.FusedMultiplyAdd(v1, w1, a11);
                    a20 = Vector.FusedMultiplyAdd(v2, w0, a20); a21 = Vector.FusedMultiplyAdd(v2, w1, a21);
                    a30 = Vector.FusedMultiplyAdd(v3, w0, a30); a31 = Vector.FusedMultiplyAdd(v3, w1, a31);
                }
                ref float y0 = ref Unsafe.Add(ref yr, r * ldy + c);
                Store(a00, a01, ref y0);
                Store(a10, a11, ref Unsafe.Add(ref y0, ldy));
                Store(a20, a21, ref Unsafe.Add(ref y0, 2 * ldy));
                Store(a30, a31, ref Unsafe.Add(ref y0, 3 * ldy));
            }
            for (; r < batch; r++)
            {
                Vector<float> a0 = b0, a1 = b1;
                ref float x0 = ref Unsafe.Add(ref xr, r * inputs);
                for (int k = 0; k < inputs; k++)
                {
                    ref float wk = ref Unsafe.Add(ref wr, k * ldw + c);
                    var v = new Vector<float>(Unsafe.Add(ref x0, k));
                    a0 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref wk), a0);
                    a1 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref Unsafe.Add(ref wk, Lanes)), a1);
                }
                Store(a0, a1, ref Unsafe.Add(ref yr, r * ldy + c));
            }
        }
    }

    /// <summary>dW (I, O) = xᵀ @ dy (overwrites); db (O) = Σ_rows dy (overwrites, skipped when empty).</summary>
    public static unsafe void BackwardParameters(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dWeights, Span<float> dBias, int batch, int inputs, int outputs)
    {
        CheckLengths(x.Length, batch * inputs, nameof(x), dWeights.Length, inputs * outputs, dy.Length, batch * outputs, nameof(dy));
        if (!dBias.IsEmpty && dBias.Length != outputs) throw new ArgumentException($"Expected {outputs} bias gradients; got {dBias.Length}.", nameof(dBias));
        int parts = ColumnParts(batch, inputs, outputs);
        var scratch = EdgeScratch(outputs, inputs + batch);
        if (parts == 1)
        {
            BackwardParameterColumns(x, dy, dWeights, dBias, batch, inputs, outputs, 0, outputs, scratch);
            return;
        }
        fixed (float* px = x, pg = dy, pw = dWeights, pb = dBias, ps = scratch)
        {
            var job = new Job { A = px, G = pg, W = pw, B = pb, Scratch = ps, Batch = batch, Inputs = inputs, Outputs = outputs, Parts = parts, BiasLength = dBias.Length, ScratchLength = scratch.Length };
            Workers.Run(&BackwardParametersPart, &job, parts);
        }
    }

    private static unsafe void BackwardParametersPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (c0, c1) = j.Columns(part);
        BackwardParameterColumns(new(j.A, j.Batch * j.Inputs), new(j.G, j.Batch * j.Outputs), new(j.W, j.Inputs * j.Outputs), new(j.B, j.BiasLength),
            j.Batch, j.Inputs, j.Outputs, c0, c1, new(j.Scratch, j.ScratchLength));
    }

    /// <summary>dW and db for the output columns [c0, c1); c0 is a multiple of the strip width.</summary>
    private static void BackwardParameterColumns(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dWeights, Span<float> dBias, int batch, int inputs, int outputs, int c0, int c1, Span<float> scratch)
    {
        int wide = Math.Min(c1, WideColumns(outputs));
        ref float xr = ref MemoryMarshal.GetReference(x);
        BackwardParameterStrips(ref xr, ref MemoryMarshal.GetReference(dy), outputs, ref MemoryMarshal.GetReference(dWeights), outputs, batch, inputs, c0, wide);
        int first = Math.Max(c0, wide), edge = c1 - first;
        if (edge > 0 && Vector.IsHardwareAccelerated)
        {
            // The columns past the last whole strip: dy's copied into one zero-padded strip, dW's computed by the same
            // micro-kernel into a padded strip, then copied out. Each element is still the chain over rows.
            int strip = 2 * Lanes;
            var g = scratch[..(batch * strip)];
            var d = scratch.Slice(batch * strip, inputs * strip);
            for (int r = 0; r < batch; r++) Pad(dy.Slice(r * outputs + first, edge), g.Slice(r * strip, strip));
            BackwardParameterStrips(ref xr, ref MemoryMarshal.GetReference(g), strip, ref MemoryMarshal.GetReference(d), strip, batch, inputs, 0, strip);
            for (int k = 0; k < inputs; k++) d.Slice(k * strip, edge).CopyTo(dWeights.Slice(k * outputs + first, edge));
        }
        else if (edge > 0)
        {
            for (int k = 0; k < inputs; k++)
            {
                for (int j = first; j < c1; j++)
                {
                    float acc = 0f;
                    for (int r = 0; r < batch; r++) acc = MathF.FusedMultiplyAdd(x[r * inputs + k], dy[r * outputs + j], acc);
                    dWeights[k * outputs + j] = acc;
                }
            }
        }
        if (!dBias.IsEmpty)
        {
            var columns = dBias.Slice(c0, c1 - c0);
            columns.Clear();
            for (int r = 0; r < batch; r++) Add(dy.Slice(r * outputs + c0, c1 - c0), columns);
        }
    }

    /// <summary><see cref="BackwardParameterStrips"/> for pairs of strips as 512-bit vectors; returns the first column it left to the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BackwardParameterStrips512(ref float xr, ref float dyr, int ldg, ref float dwr, int ldd, int batch, int inputs, int c0, int c1)
    {
        const int Wide = 16;
        int c = c0;
        for (; c + 2 * Wide <= c1; c += 2 * Wide)
        {
            int k = 0;
            for (; k + 8 <= inputs; k += 8)
            {
                Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                Vector512<float> a40 = default, a41 = default, a50 = default, a51 = default, a60 = default, a61 = default, a70 = default, a71 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * ldg + c);
                    var g0 = Vector512.LoadUnsafe(ref g);
                    var g1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref g, Wide));
                    ref float xk = ref Unsafe.Add(ref xr, r * inputs + k);
                    var v = Vector512.Create(xk);
                    a00 = Vector512.FusedMultiplyAdd(v, g0, a00); a01 = Vector512.FusedMultiplyAdd(v, g1, a01);
                    v = Vector512.Create(Unsafe.Add(ref xk, 1));
                    a10 = Vector512.FusedMultiplyAdd(v, g0, a10); a11 = Vector512.FusedMultiplyAdd(v, g1, a11);
                    v = Vector512.Create(Unsafe.Add(ref xk, 2));
                    a20 = Vector512.FusedMultiplyAdd(v, g0, a20); a21 = Vector512.FusedMultiplyAdd(v, g1, a21);
                    v = Vector512.Create(Unsafe.Add(ref xk, 3));
                    a30 = Vector512.FusedMultiplyAdd(v, g0, a30); a31 = Vector512.FusedMultiplyAdd(v, g1, a31);
                    v = Vector512.Create(Unsafe.Add(ref xk, 4));
                    a40 = Vector512.FusedMultiplyAdd(v, g0, a40); a41 = Vector512.FusedMultiplyAdd(v, g1, a41);
                    v = Vector512.Create(Unsafe.Add(ref xk, 5));
                    a50 = Vector512.FusedMultiplyAdd(v, g0, a50); a51 = Vector512.FusedMultiplyAdd(v, g1, a51);
                    v = Vector512.Create(Unsafe.Add(ref xk, 6));
                    a60 = Vector512.FusedMultiplyAdd(v, g0, a60); a61 = Vector512.FusedMultiplyAdd(v, g1, a61);
                    v = Vector512.Create(Unsafe.Add(ref xk, 7));
                    a70 = Vector512.FusedMultiplyAdd(v, g0, a70); a71 = Vector512.FusedMultiplyAdd(v, g1, a71);
                }
                ref float d0 = ref Unsafe.Add(ref dwr, k * ldd + c);
                Store512(a00, a01, ref d0);
                Store512(a10, a11, ref Unsafe.Add(ref d0, ldd));
                Store512(a20, a21, ref Unsafe.Add(ref d0, 2 * ldd));
                Store512(a30, a31, ref Unsafe.Add(ref d0, 3 * ldd));
                Store512(a40, a41, ref Unsafe.Add(ref d0, 4 * ldd));
                Store512(a50, a51, ref Unsafe.Add(ref d0, 5 * ldd));
                Store512(a60, a61, ref Unsafe.Add(ref d0, 6 * ldd));
                Store512(a70, a71, ref Unsafe.Add(ref d0, 7 * ldd));
            }
            for (; k + 2 <= inputs; k += 2)
            {
                // Two inputs at once: four independent chains hide the FMA latency.
                Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * ldg + c);
                    var g0 = Vector512.LoadUnsafe(ref g);
                    var g1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref g, Wide));
                    ref float xk = ref Unsafe.Add(ref xr, r * inputs + k);
                    var v0 = Vector512.Create(xk);
                    var v1 = Vector512.Create(Unsafe.Add(ref xk, 1));
                    a00 = Vector512.FusedMultiplyAdd(v0, g0, a00); a01 = Vector512.FusedMultiplyAdd(v0, g1, a01);
                    a10 = Vector512.FusedMultiplyAdd(v1, g0, a10); a11 = Vector512.FusedMultiplyAdd(v1, g1, a11);
                }
                ref float d0 = ref Unsafe.Add(ref dwr, k * ldd + c);
                Store512(a00, a01, ref d0);
                Store512(a10, a11, ref Unsafe.Add(ref d0, ldd));
            }
            for (; k < inputs; k++)
            {
                Vector512<float> a0 = default, a1 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * ldg + c);
                    var v = Vector512.Create(Unsafe.Add(ref xr, r * inputs + k));
                    a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref g), a0);
                    a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref Unsafe.Add(ref g, Wide)), a1);
                }
                Store512(a0, a1, ref Unsafe.Add(ref dwr, k * ldd + c));
            }
        }
        return c;
    }

    /// <summary>dW[:, c0..c1) = xᵀ @ dy[:, c0..c1) for whole strips of 2 vectors; dy's and dW's rows are <paramref name="ldg"/> and <paramref name="ldd"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardParameterStrips(ref float xr, ref float dyr, int ldg, ref float dwr, int ldd, int batch, int inputs, int c0, int c1)
    {
        if (Use512) c0 = BackwardParameterStrips512(ref xr, ref dyr, ldg, ref dwr, ldd, batch, inputs, c0, c1);
        int strip = 2 * Lanes;
        for (int c = c0; c < c1; c += strip)
        {
            int k = 0;
            for (; k + 8 <= inputs; k += 8)
            {
                Vector<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                Vector<float> a40 = default, a41 = default, a50 = default, a51 = default, a60 = default, a61 = default, a70 = default, a71 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * ldg + c);
                    var g0 = Vector.LoadUnsafe(ref g);
                    var g1 = Vector.LoadUnsafe(ref Unsafe.Add(ref g, Lanes));
                    ref float xk = ref Unsafe.Add(ref xr, r * inputs + k);
                    var v = new Vector<float>(xk);
                    a00 = Vector.FusedMultiplyAdd(v, g0, a00); a01 = Vector.FusedMultiplyAdd(v, g1, a01);
                    v = new Vector<float>(Unsafe.Add(ref xk, 1));
                    a10 = Vector.FusedMultiplyAdd(v, g0, a10); a11 = Vector.FusedMultiplyAdd(v, g1, a11);
                    v = new Vector<float>(Unsafe.Add(ref xk, 2));
                    a20 = Vector.FusedMultiplyAdd(v, g0, a20); a21 = Vector.FusedMultiplyAdd(v, g1, a21);
                    v = new Vector<float>(Unsafe.Add(ref xk, 3));
                    a30 = Vector.FusedMultiplyAdd(v, g0, a30); a31 = Vector.FusedMultiplyAdd(v, g1, a31);
                    v = new Vector<float>(Unsafe.Add(ref xk, 4));
                    a40 = Vector.FusedMultiplyAdd(v, g0, a40); a41 = Vector.FusedMultiplyAdd(v, g1, a41);
                    v = new Vector<float>(Unsafe.Add(ref xk, 5));
                    a50 = Vector.FusedMultiplyAdd(v, g0, a50); a51 = Vector.FusedMultiplyAdd(v, g1, a51);
                    v = new Vector<float>(Unsafe.Add(ref xk, 6));
                    a60 = Vector.FusedMultiplyAdd(v, g0, a60); a61 = Vector.FusedMultiplyAdd(v, g1, a61);
                    v = new Vector<float>(Unsafe.Add(ref xk, 7));
                    a70 = Vector.FusedMultiplyAdd(v, g0, a70); a71 = Vector.FusedMultiplyAdd(v, g1, a71);
                }
                ref float d0 = ref Unsafe.Add(ref dwr, k * ldd + c);
                Store(a00, a01, ref d0);
                Store(a10, a11, ref Unsafe.Add(ref d0, ldd));
                Store(a20, a21, ref Unsafe.Add(ref d0, 2 * ldd));
                Store(a30, a31, ref Unsafe.Add(ref d0, 3 * ldd));
                Store(a40, a41, ref Unsafe.Add(ref d0, 4 * ldd));
                Store(a50, a51, ref Unsafe.Add(ref d0, 5 * ldd));
                Store(a60, a61, ref Unsafe.Add(ref d0, 6 * ldd));
                Store(a70, a71, ref Unsafe.Add(ref d0, 7 * ldd));
            }
            for (; k + 4 <= inputs; k += 4)
            {
                Vector<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * ldg + c);
                    var g0 = Vector.LoadUnsafe(ref g);
                    var g1 = Vector.LoadUnsafe(ref Unsafe.Add(ref g, Lanes));
                    ref float xk = ref Unsafe.Add(ref xr, r * inputs + k);
                    var v0 = new Vector<float>(xk);
                    var v1 = new Vector<float>(Unsafe.Add(ref xk, 1));
                    var v2 = new Vector<float>(Unsafe.Add(ref xk, 2));
                    var v3 = new Vector<float>(Unsafe.Add(ref xk, 3));
                    a00 = Vector.FusedMultiplyAdd(v0, g0, a00); a01 = Vector.FusedMultiplyAdd(v0, g1, a01);
                    a10 = Vector.FusedMultiplyAdd(v1, g0, a10); a11 = Vector.FusedMultiplyAdd(v1, g1, a11);
                    a20 = Vector.FusedMultiplyAdd(v2, g0, a20); a21 = Vector.FusedMultiplyAdd(v2, g1, a21);
                    a30 = Vector.FusedMultiplyAdd(v3, g0, a30); a31 = Vector.FusedMultiplyAdd(v3, g1, a31);
                }
                ref float d0 = ref Unsafe.Add(ref dwr, k * ldd + c);
                Store(a00, a01, ref d0);
                Store(a10, a11, ref Unsafe.Add(ref d0, ldd));
                Store(a20, a21, ref Unsafe.Add(ref d0, 2 * ldd));
                Store(a30, a31, ref Unsafe.Add(ref d0, 3 * ldd));
            }
            for (; k < inputs; k++)
            {
                Vector<float> a0 = default, a1 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * ldg + c);
                    var v = new Vector<float>(Unsafe.Add(ref xr, r * inputs + k));
                    a0 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref g), a0);
                    a1 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref Unsafe.Add(ref g, Lanes)), a1);
                }
                Store(a0, a1, ref Unsafe.Add(ref dwr, k * ldd + c));
            }
        }
    }

    /// <summary>
    /// dx (B, I) = dy (B, O) @ Wᵀ (overwrites). Each strip of W's rows is packed transposed (O × 2 vectors, zero-padded at the
    /// edge) into scratch, so the forward micro-kernel computes it: each dx element is one chain over the outputs in order.
    /// </summary>
    public static unsafe void BackwardInput(ReadOnlySpan<float> dy, ReadOnlySpan<float> weights, Span<float> dx, int batch, int inputs, int outputs)
    {
        CheckLengths(dx.Length, batch * inputs, nameof(dx), weights.Length, inputs * outputs, dy.Length, batch * outputs, nameof(dy));
        int parts = ColumnParts(batch, outputs, inputs);
        var scratch = Vector.IsHardwareAccelerated ? Scratch(parts * (outputs * PanelWidth + batch * 2 * Lanes)) : default;
        if (parts == 1)
        {
            BackwardInputColumns(dy, weights, dx, batch, inputs, outputs, 0, inputs, scratch);
            return;
        }
        fixed (float* pg = dy, pw = weights, px = dx, ps = scratch)
        {
            var job = new Job { G = pg, W = pw, Out = px, Scratch = ps, Batch = batch, Inputs = inputs, Outputs = outputs, Parts = parts, ScratchLength = scratch.Length };
            Workers.Run(&BackwardInputPart, &job, parts);
        }
    }

    private static unsafe void BackwardInputPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (c0, c1) = StripRange(j.Inputs, j.Parts, part);
        int share = j.ScratchLength / j.Parts;
        BackwardInputColumns(new(j.G, j.Batch * j.Outputs), new(j.W, j.Inputs * j.Outputs), new(j.Out, j.Batch * j.Inputs), j.Batch, j.Inputs, j.Outputs, c0, c1,
            new(j.Scratch + (long)share * part, share));
    }

    /// <summary>
    /// The unit of work: two strips where the 512-bit kernels run, so they can take it whole, else one. Threads split the
    /// columns by panels, and dx is computed from transposed panels of W.
    /// </summary>
    private static int PanelWidth => (Use512 ? 4 : 2) * Lanes;

    /// <summary>dx for the input columns [c0, c1); c0 is a multiple of the strip width; <paramref name="scratch"/> holds O panels and B strips.</summary>
    private static void BackwardInputColumns(ReadOnlySpan<float> dy, ReadOnlySpan<float> weights, Span<float> dx, int batch, int inputs, int outputs, int c0, int c1, Span<float> scratch)
    {
        if (!Vector.IsHardwareAccelerated)
        {
            for (int r = 0; r < batch; r++)
            {
                for (int k = c0; k < c1; k++)
                {
                    float acc = 0f;
                    for (int j = 0; j < outputs; j++) acc = MathF.FusedMultiplyAdd(dy[r * outputs + j], weights[k * outputs + j], acc);
                    dx[r * inputs + k] = acc;
                }
            }
            return;
        }
        int strip = 2 * Lanes, width = PanelWidth;
        var panel = scratch[..(outputs * width)];
        var edge = scratch.Slice(outputs * width, batch * strip);
        ref float dyr = ref MemoryMarshal.GetReference(dy);
        ref float pr = ref MemoryMarshal.GetReference(panel);
        for (int c = c0; c < c1; c += width)
        {
            int count = Math.Min(width, c1 - c), whole = count / strip * strip;
            PackTransposed(weights.Slice(c * outputs, count * outputs), outputs, width, panel);
            if (whole > 0) ForwardStrips(ref dyr, ref pr, width, default, ref MemoryMarshal.GetReference(dx[c..]), inputs, batch, outputs, 0, whole);
            if (count > whole)
            {
                ForwardStrips(ref dyr, ref Unsafe.Add(ref pr, whole), width, default, ref MemoryMarshal.GetReference(edge), strip, batch, outputs, 0, strip);
                for (int r = 0; r < batch; r++) edge.Slice(r * strip, count - whole).CopyTo(dx.Slice(r * inputs + c + whole, count - whole));
            }
        }
    }

    /// <summary>panel (columns × width) = the rows of <paramref name="rows"/> (each <paramref name="columns"/> long) transposed, zero-padded to the width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(ReadOnlySpan<float> rows, int columns, int width, Span<float> panel)
    {
        int count = rows.Length / columns;
        if (count < width) panel.Clear();
        ref float src = ref MemoryMarshal.GetReference(rows);
        ref float dst = ref MemoryMarshal.GetReference(panel);
        int i = 0;
        if (Avx.IsSupported)
        {
            for (; i + 8 <= count; i += 8)
            {
                int j = 0;
                for (; j + 8 <= columns; j += 8) Transpose8x8(ref Unsafe.Add(ref src, i * columns + j), columns, ref Unsafe.Add(ref dst, j * width + i), width);
                for (; j < columns; j++)
                {
                    for (int ii = 0; ii < 8; ii++) Unsafe.Add(ref dst, j * width + i + ii) = Unsafe.Add(ref src, (i + ii) * columns + j);
                }
            }
        }
        for (; i < count; i++)
        {
            ref float row = ref Unsafe.Add(ref src, i * columns);
            ref float column = ref Unsafe.Add(ref dst, i);
            for (int j = 0; j < columns; j++) Unsafe.Add(ref column, j * width) = Unsafe.Add(ref row, j);
        }
    }

    /// <summary>The 8 × 8 block at <paramref name="source"/> (rows <paramref name="sourceStride"/> apart) transposed into <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float source, int sourceStride, ref float destination, int destinationStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, sourceStride));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * sourceStride));
        var r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 4 * sourceStride));
        var r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 5 * sourceStride));
        var r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 6 * sourceStride));
        var r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 7 * sourceStride));
        // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves swapped across: column c in o_c.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, destinationStride));
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, 2 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref Unsafe.Add(ref destination, 3 * destinationStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 4 * destinationStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 5 * destinationStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 6 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref Unsafe.Add(ref destination, 7 * destinationStride));
    }

    /// <summary>
    /// Scratch for the edge strip (columns past the last whole strip): <paramref name="rows"/> strips of floats, or none when
    /// the columns fill whole strips. Taken on the calling thread and handed to the workers, so whichever thread computes the
    /// edge allocates nothing.
    /// </summary>
    private static Span<float> EdgeScratch(int outputs, int rows)
    {
        if (!Vector.IsHardwareAccelerated || outputs == WideColumns(outputs)) return default;
        return Scratch(rows * 2 * Lanes);
    }

    /// <summary>The calling thread's scratch, at least <paramref name="length"/> floats: grown on demand and kept, so kernels allocate nothing once warm.</summary>
    private static Span<float> Scratch(int length)
    {
        var scratch = t_scratch;
        if (scratch is null || scratch.Length < length) t_scratch = scratch = new float[length];
        return scratch.AsSpan(0, length);
    }

    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>destination = source followed by zeros.</summary>
    private static void Pad(ReadOnlySpan<float> source, Span<float> destination)
    {
        source.CopyTo(destination);
        destination[source.Length..].Clear();
    }

    /// <summary>Below this many multiply-adds a kernel runs on the calling thread: waking workers costs more.</summary>
    private const long ParallelThreshold = 1 << 18;

    private static int WideColumns(int outputs) => Vector.IsHardwareAccelerated ? outputs / (2 * Lanes) * (2 * Lanes) : 0;

    /// <summary>Parts of whole panels (<see cref="PanelWidth"/> columns), so each part keeps the widest kernels.</summary>
    private static int ColumnParts(int batch, int inputs, int outputs) => Parts(batch, inputs, outputs, units: WideColumns(outputs) / PanelWidth);

    /// <summary>
    /// How many parts to split a kernel into: 1 when it is small or there is one thread, else up to 4 per thread, so a
    /// helper that wakes late still takes a share instead of finding the caller has done everything.
    /// </summary>
    private static int Parts(int batch, int inputs, int outputs, int units)
    {
        if ((long)batch * inputs * outputs < ParallelThreshold || Workers.Count == 1) return 1;
        return Math.Max(1, Math.Min(4 * Workers.Count, units));
    }

    /// <summary>A kernel call's operands, pinned by the caller for the duration of <see cref="Workers.Run"/>.</summary>
    private unsafe struct Job
    {
        public float* A, W, B, G, Out, Scratch;
        public int Batch, Inputs, Outputs, Parts, BiasLength, ScratchLength;

        /// <summary>Part p's output columns: whole strips, the last part also taking the columns past the last strip.</summary>
        public readonly (int Start, int End) Columns(int part) => StripRange(Outputs, Parts, part);
    }

    /// <summary>Part p's share of <paramref name="columns"/>: whole panels, the last part also taking the columns past the last panel.</summary>
    private static (int Start, int End) StripRange(int columns, int parts, int part)
    {
        int width = PanelWidth, panels = WideColumns(columns) / width;
        int start = (int)((long)panels * part / parts) * width;
        int end = part == parts - 1 ? columns : (int)((long)panels * (part + 1) / parts) * width;
        return (start, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> LoadVector(ReadOnlySpan<float> span, int start) => Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(span), start));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<float> a0, Vector512<float> a1, ref float destination)
    {
        a0.StoreUnsafe(ref destination);
        a1.StoreUnsafe(ref Unsafe.Add(ref destination, Vector512<float>.Count));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> a0, Vector<float> a1, ref float destination)
    {
        a0.StoreUnsafe(ref destination);
        a1.StoreUnsafe(ref Unsafe.Add(ref destination, Lanes));
    }

    /// <summary>y += x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Lanes)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < vx.Length; v++) vy[v] += vx[v];
            i = vx.Length * Lanes;
        }
        for (; i < x.Length; i++) y[i] += x[i];
    }

    private static void CheckLengths(int aLength, int aExpected, string aName, int wLength, int wExpected, int bLength, int bExpected, string bName)
    {
        if (aLength < aExpected) throw new ArgumentException($"Expected {aName} to hold at least {aExpected} floats; got {aLength}.", aName);
        if (wLength < wExpected) throw new ArgumentException($"Expected the weights to hold at least {wExpected} floats; got {wLength}.", "weights");
        if (bLength < bExpected) throw new ArgumentException($"Expected {bName} to hold at least {bExpected} floats; got {bLength}.", bName);
    }
}
