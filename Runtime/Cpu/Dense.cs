using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Cpu;

/// <summary>
/// The affine map of a dense layer and its gradients, row-major, with Keras's kernel layout W (inputs, units).
/// <para>
/// Every output element is one fused multiply-add chain in a fixed order (over inputs for y and dW, over
/// vector lanes then lanes in order for dx), whichever code path computes it: register-blocked micro-kernels
/// where the shape allows and plain loops at the edges give bit-identical results. So a sample's result does
/// not depend on the batch it is in, nor on where in the batch it sits.
/// </para>
/// </summary>
public static class Dense
{
    private static int Lanes => Vector<float>.Count;

    /// <summary>x (B, I) @ W (I, O) + b (O) -> y (B, O). An empty <paramref name="bias"/> means no bias.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int outputs)
    {
        CheckLengths(x.Length, batch * inputs, nameof(x), weights.Length, inputs * outputs, y.Length, batch * outputs, nameof(y));
        if (!bias.IsEmpty && bias.Length != outputs) throw new ArgumentException($"Expected {outputs} biases; got {bias.Length}.", nameof(bias));
        int parts = ColumnParts(batch, inputs, outputs);
        if (parts == 1)
        {
            ForwardColumns(x, weights, bias, y, batch, inputs, outputs, 0, outputs);
            return;
        }
        fixed (float* px = x, pw = weights, pb = bias, py = y)
        {
            var job = new Job { A = px, W = pw, B = pb, Out = py, Batch = batch, Inputs = inputs, Outputs = outputs, Parts = parts, BiasLength = bias.Length };
            Workers.Run(&ForwardPart, &job, parts);
        }
    }

    private static unsafe void ForwardPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (c0, c1) = j.Columns(part);
        ForwardColumns(new(j.A, j.Batch * j.Inputs), new(j.W, j.Inputs * j.Outputs), new(j.B, j.BiasLength), new(j.Out, j.Batch * j.Outputs),
            j.Batch, j.Inputs, j.Outputs, c0, c1);
    }

    /// <summary>Forward for the output columns [c0, c1); c0 is a multiple of the strip width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardColumns(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int outputs, int c0, int c1)
    {
        int strip = 2 * Lanes;
        int wide = Math.Min(c1, WideColumns(outputs));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float wr = ref MemoryMarshal.GetReference(weights);
        ref float yr = ref MemoryMarshal.GetReference(y);
        // Column strips outside, so a strip of W (inputs × 2 vectors) stays in cache across the row blocks.
        for (int c = c0; c < wide; c += strip)
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
                    ref float wk = ref Unsafe.Add(ref wr, k * outputs + c);
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
                ref float y0 = ref Unsafe.Add(ref yr, r * outputs + c);
                Store(a00, a01, ref y0);
                Store(a10, a11, ref Unsafe.Add(ref y0, outputs));
                Store(a20, a21, ref Unsafe.Add(ref y0, 2 * outputs));
                Store(a30, a31, ref Unsafe.Add(ref y0, 3 * outputs));
                Store(a40, a41, ref Unsafe.Add(ref y0, 4 * outputs));
                Store(a50, a51, ref Unsafe.Add(ref y0, 5 * outputs));
                Store(a60, a61, ref Unsafe.Add(ref y0, 6 * outputs));
                Store(a70, a71, ref Unsafe.Add(ref y0, 7 * outputs));
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
                    ref float wk = ref Unsafe.Add(ref wr, k * outputs + c);
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
                ref float y0 = ref Unsafe.Add(ref yr, r * outputs + c);
                Store(a00, a01, ref y0);
                Store(a10, a11, ref Unsafe.Add(ref y0, outputs));
                Store(a20, a21, ref Unsafe.Add(ref y0, 2 * outputs));
                Store(a30, a31, ref Unsafe.Add(ref y0, 3 * outputs));
            }
            for (; r < batch; r++)
            {
                Vector<float> a0 = b0, a1 = b1;
                ref float x0 = ref Unsafe.Add(ref xr, r * inputs);
                for (int k = 0; k < inputs; k++)
                {
                    ref float wk = ref Unsafe.Add(ref wr, k * outputs + c);
                    var v = new Vector<float>(Unsafe.Add(ref x0, k));
                    a0 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref wk), a0);
                    a1 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref Unsafe.Add(ref wk, Lanes)), a1);
                }
                Store(a0, a1, ref Unsafe.Add(ref yr, r * outputs + c));
            }
        }
        // The columns left over: the same chain, one element at a time.
        for (int r = 0; r < batch; r++)
        {
            for (int j = Math.Max(c0, wide); j < c1; j++)
            {
                float acc = bias.IsEmpty ? 0f : bias[j];
                for (int k = 0; k < inputs; k++) acc = MathF.FusedMultiplyAdd(x[r * inputs + k], weights[k * outputs + j], acc);
                y[r * outputs + j] = acc;
            }
        }
    }

    /// <summary>dW (I, O) = xᵀ @ dy (overwrites); db (O) = Σ_rows dy (overwrites, skipped when empty).</summary>
    public static unsafe void BackwardParameters(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dWeights, Span<float> dBias, int batch, int inputs, int outputs)
    {
        CheckLengths(x.Length, batch * inputs, nameof(x), dWeights.Length, inputs * outputs, dy.Length, batch * outputs, nameof(dy));
        if (!dBias.IsEmpty && dBias.Length != outputs) throw new ArgumentException($"Expected {outputs} bias gradients; got {dBias.Length}.", nameof(dBias));
        int parts = ColumnParts(batch, inputs, outputs);
        if (parts == 1)
        {
            BackwardParameterColumns(x, dy, dWeights, dBias, batch, inputs, outputs, 0, outputs);
            return;
        }
        fixed (float* px = x, pg = dy, pw = dWeights, pb = dBias)
        {
            var job = new Job { A = px, G = pg, W = pw, B = pb, Batch = batch, Inputs = inputs, Outputs = outputs, Parts = parts, BiasLength = dBias.Length };
            Workers.Run(&BackwardParametersPart, &job, parts);
        }
    }

    private static unsafe void BackwardParametersPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (c0, c1) = j.Columns(part);
        BackwardParameterColumns(new(j.A, j.Batch * j.Inputs), new(j.G, j.Batch * j.Outputs), new(j.W, j.Inputs * j.Outputs), new(j.B, j.BiasLength),
            j.Batch, j.Inputs, j.Outputs, c0, c1);
    }

    /// <summary>dW and db for the output columns [c0, c1); c0 is a multiple of the strip width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardParameterColumns(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dWeights, Span<float> dBias, int batch, int inputs, int outputs, int c0, int c1)
    {
        int strip = 2 * Lanes;
        int wide = Math.Min(c1, WideColumns(outputs));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dyr = ref MemoryMarshal.GetReference(dy);
        ref float dwr = ref MemoryMarshal.GetReference(dWeights);
        for (int c = c0; c < wide; c += strip)
        {
            int k = 0;
            for (; k + 8 <= inputs; k += 8)
            {
                Vector<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                Vector<float> a40 = default, a41 = default, a50 = default, a51 = default, a60 = default, a61 = default, a70 = default, a71 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * outputs + c);
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
                ref float d0 = ref Unsafe.Add(ref dwr, k * outputs + c);
                Store(a00, a01, ref d0);
                Store(a10, a11, ref Unsafe.Add(ref d0, outputs));
                Store(a20, a21, ref Unsafe.Add(ref d0, 2 * outputs));
                Store(a30, a31, ref Unsafe.Add(ref d0, 3 * outputs));
                Store(a40, a41, ref Unsafe.Add(ref d0, 4 * outputs));
                Store(a50, a51, ref Unsafe.Add(ref d0, 5 * outputs));
                Store(a60, a61, ref Unsafe.Add(ref d0, 6 * outputs));
                Store(a70, a71, ref Unsafe.Add(ref d0, 7 * outputs));
            }
            for (; k + 4 <= inputs; k += 4)
            {
                Vector<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * outputs + c);
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
                ref float d0 = ref Unsafe.Add(ref dwr, k * outputs + c);
                Store(a00, a01, ref d0);
                Store(a10, a11, ref Unsafe.Add(ref d0, outputs));
                Store(a20, a21, ref Unsafe.Add(ref d0, 2 * outputs));
                Store(a30, a31, ref Unsafe.Add(ref d0, 3 * outputs));
            }
            for (; k < inputs; k++)
            {
                Vector<float> a0 = default, a1 = default;
                for (int r = 0; r < batch; r++)
                {
                    ref float g = ref Unsafe.Add(ref dyr, r * outputs + c);
                    var v = new Vector<float>(Unsafe.Add(ref xr, r * inputs + k));
                    a0 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref g), a0);
                    a1 = Vector.FusedMultiplyAdd(v, Vector.LoadUnsafe(ref Unsafe.Add(ref g, Lanes)), a1);
                }
                Store(a0, a1, ref Unsafe.Add(ref dwr, k * outputs + c));
            }
        }
        for (int k = 0; k < inputs; k++)
        {
            for (int j = Math.Max(c0, wide); j < c1; j++)
            {
                float acc = 0f;
                for (int r = 0; r < batch; r++) acc = MathF.FusedMultiplyAdd(x[r * inputs + k], dy[r * outputs + j], acc);
                dWeights[k * outputs + j] = acc;
            }
        }
        if (!dBias.IsEmpty)
        {
            var columns = dBias.Slice(c0, c1 - c0);
            columns.Clear();
            for (int r = 0; r < batch; r++) Add(dy.Slice(r * outputs + c0, c1 - c0), columns);
        }
    }

    /// <summary>dx (B, I) = dy (B, O) @ Wᵀ (overwrites): dot products of dy's rows with W's rows.</summary>
    public static unsafe void BackwardInput(ReadOnlySpan<float> dy, ReadOnlySpan<float> weights, Span<float> dx, int batch, int inputs, int outputs)
    {
        CheckLengths(dx.Length, batch * inputs, nameof(dx), weights.Length, inputs * outputs, dy.Length, batch * outputs, nameof(dy));
        int parts = Parts(batch, inputs, outputs, units: batch / 2);
        if (parts == 1)
        {
            BackwardInputRows(dy, weights, dx, batch, inputs, outputs, 0, batch);
            return;
        }
        fixed (float* pg = dy, pw = weights, px = dx)
        {
            var job = new Job { G = pg, W = pw, Out = px, Batch = batch, Inputs = inputs, Outputs = outputs, Parts = parts };
            Workers.Run(&BackwardInputPart, &job, parts);
        }
    }

    private static unsafe void BackwardInputPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        int pairs = j.Batch / 2;
        int r0 = 2 * (int)((long)pairs * part / j.Parts), r1 = part == j.Parts - 1 ? j.Batch : 2 * (int)((long)pairs * (part + 1) / j.Parts);
        BackwardInputRows(new(j.G, j.Batch * j.Outputs), new(j.W, j.Inputs * j.Outputs), new(j.Out, j.Batch * j.Inputs), j.Batch, j.Inputs, j.Outputs, r0, r1);
    }

    /// <summary>dx for the rows [r0, r1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardInputRows(ReadOnlySpan<float> dy, ReadOnlySpan<float> weights, Span<float> dx, int batch, int inputs, int outputs, int r0, int r1)
    {
        int vectors = Vector.IsHardwareAccelerated ? outputs / Lanes * Lanes : 0;
        ref float dyr = ref MemoryMarshal.GetReference(dy);
        ref float wr = ref MemoryMarshal.GetReference(weights);
        int r = r0;
        for (; r + 2 <= r1; r += 2)
        {
            ref float g0 = ref Unsafe.Add(ref dyr, r * outputs);
            ref float g1 = ref Unsafe.Add(ref g0, outputs);
            int k = 0;
            for (; k + 4 <= inputs; k += 4)
            {
                Vector<float> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
                ref float w0 = ref Unsafe.Add(ref wr, k * outputs);
                ref float w1 = ref Unsafe.Add(ref w0, outputs);
                ref float w2 = ref Unsafe.Add(ref w1, outputs);
                ref float w3 = ref Unsafe.Add(ref w2, outputs);
                for (int j = 0; j < vectors; j += Lanes)
                {
                    var u0 = Vector.LoadUnsafe(ref Unsafe.Add(ref g0, j));
                    var u1 = Vector.LoadUnsafe(ref Unsafe.Add(ref g1, j));
                    var v0 = Vector.LoadUnsafe(ref Unsafe.Add(ref w0, j));
                    var v1 = Vector.LoadUnsafe(ref Unsafe.Add(ref w1, j));
                    var v2 = Vector.LoadUnsafe(ref Unsafe.Add(ref w2, j));
                    var v3 = Vector.LoadUnsafe(ref Unsafe.Add(ref w3, j));
                    a00 = Vector.FusedMultiplyAdd(u0, v0, a00); a01 = Vector.FusedMultiplyAdd(u0, v1, a01);
                    a02 = Vector.FusedMultiplyAdd(u0, v2, a02); a03 = Vector.FusedMultiplyAdd(u0, v3, a03);
                    a10 = Vector.FusedMultiplyAdd(u1, v0, a10); a11 = Vector.FusedMultiplyAdd(u1, v1, a11);
                    a12 = Vector.FusedMultiplyAdd(u1, v2, a12); a13 = Vector.FusedMultiplyAdd(u1, v3, a13);
                }
                int o0 = r * inputs + k, o1 = o0 + inputs;
                dx[o0] = Finish(a00, dy, r, weights, k, vectors, outputs);
                dx[o0 + 1] = Finish(a01, dy, r, weights, k + 1, vectors, outputs);
                dx[o0 + 2] = Finish(a02, dy, r, weights, k + 2, vectors, outputs);
                dx[o0 + 3] = Finish(a03, dy, r, weights, k + 3, vectors, outputs);
                dx[o1] = Finish(a10, dy, r + 1, weights, k, vectors, outputs);
                dx[o1 + 1] = Finish(a11, dy, r + 1, weights, k + 1, vectors, outputs);
                dx[o1 + 2] = Finish(a12, dy, r + 1, weights, k + 2, vectors, outputs);
                dx[o1 + 3] = Finish(a13, dy, r + 1, weights, k + 3, vectors, outputs);
            }
            for (; k < inputs; k++)
            {
                dx[r * inputs + k] = Dot(dy.Slice(r * outputs, outputs), weights.Slice(k * outputs, outputs), vectors);
                dx[(r + 1) * inputs + k] = Dot(dy.Slice((r + 1) * outputs, outputs), weights.Slice(k * outputs, outputs), vectors);
            }
        }
        for (; r < r1; r++)
        {
            for (int k = 0; k < inputs; k++)
                dx[r * inputs + k] = Dot(dy.Slice(r * outputs, outputs), weights.Slice(k * outputs, outputs), vectors);
        }
    }

    /// <summary>Below this many multiply-adds a kernel runs on the calling thread: waking workers costs more.</summary>
    private const long ParallelThreshold = 1 << 18;

    private static int WideColumns(int outputs) => Vector.IsHardwareAccelerated ? outputs / (2 * Lanes) * (2 * Lanes) : 0;

    private static int ColumnParts(int batch, int inputs, int outputs) => Parts(batch, inputs, outputs, units: WideColumns(outputs) / (2 * Lanes));

    /// <summary>How many parts to split a kernel into: 1 when it is small or there is one thread.</summary>
    private static int Parts(int batch, int inputs, int outputs, int units)
    {
        if ((long)batch * inputs * outputs < ParallelThreshold) return 1;
        return Math.Max(1, Math.Min(Workers.Count, units));
    }

    /// <summary>A kernel call's operands, pinned by the caller for the duration of <see cref="Workers.Run"/>.</summary>
    private unsafe struct Job
    {
        public float* A, W, B, G, Out;
        public int Batch, Inputs, Outputs, Parts, BiasLength;

        /// <summary>Part p's output columns: whole strips, the last part also taking the columns past the last strip.</summary>
        public readonly (int Start, int End) Columns(int part)
        {
            int strip = 2 * Lanes, strips = WideColumns(Outputs) / strip;
            int start = (int)((long)strips * part / Parts) * strip;
            int end = part == Parts - 1 ? Outputs : (int)((long)strips * (part + 1) / Parts) * strip;
            return (start, end);
        }
    }

    /// <summary>Σ x·y in the kernels' order: per-lane chains over whole vectors, the lanes summed, then the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int vectors)
    {
        var acc = Vector<float>.Zero;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        for (int j = 0; j < vectors; j += Lanes)
            acc = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Unsafe.Add(ref xr, j)), Vector.LoadUnsafe(ref Unsafe.Add(ref yr, j)), acc);
        float sum = Vector.Sum(acc);
        for (int j = vectors; j < x.Length; j++) sum = MathF.FusedMultiplyAdd(x[j], y[j], sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector<float> acc, ReadOnlySpan<float> dy, int r, ReadOnlySpan<float> weights, int k, int vectors, int outputs)
    {
        float sum = Vector.Sum(acc);
        for (int j = vectors; j < outputs; j++) sum = MathF.FusedMultiplyAdd(dy[r * outputs + j], weights[k * outputs + j], sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> LoadVector(ReadOnlySpan<float> span, int start) => Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(span), start));

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
