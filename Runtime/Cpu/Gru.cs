using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Gen.Cpu;

/// <summary>
/// Keras 3's <c>GRU</c> layer with its defaults (reset_after=True, tanh activation, sigmoid recurrent activation,
/// h₀ = 0, an optional mask), forward and backpropagation through time, over flat row-major buffers the caller owns.
/// <para>
/// Shapes: x (B, T, F); kernel K (F, 3U); recurrent kernel R (U, 3U); bias (2, 3U): row 0 the input bias b_in,
/// row 1 the recurrent bias b_rec; gate blocks in Keras's order [z, r, h]. Step, with a = x_t @ K + b_in and
/// m = h @ R + b_rec: z = σ(a_z + m_z), r = σ(a_r + m_r), ĥ = tanh(a_h + r ⊙ m_h), h = z ⊙ h + (1 − z) ⊙ ĥ.
/// </para>
/// <para>
/// Output and goBackwards as in <see cref="Lstm"/>: every h (B, T, U) or the last (B, U); under goBackwards the
/// sequence output is in processing order (output[:, s] follows x_{T−1−s}), as Keras returns it.
/// </para>
/// <para>
/// Mask as in <see cref="Lstm"/> (empty, or B·T floats of 0 and 1 indexed like x): a masked step leaves h as it was and
/// its output repeats it (0 before the first kept step); in the backward pass it has dm = da_h = 0 and passes dh,
/// including the gradient of its repeated output, unchanged to the state it carried.
/// </para>
/// <para>
/// Cache (<see cref="CacheSize"/> floats): the activated gates [z, r, ĥ] (B, T, 3U), m_h (B, T, U) and the previous
/// hidden states (B, T, U), all indexed by input time: at x_t's row, the h the step reading x_t started from (0 for the
/// first step), so that dR is one product over every (batch, time) row. Nothing here allocates; parameter
/// gradients and dx overwrite.
/// </para>
/// <para>
/// Threads as in <see cref="Lstm"/>: the batch is split into parts, each running the whole recurrence for its rows,
/// a timestep's h @ R one register-blocked product over the part's rows; results do not depend on the thread count.
/// </para>
/// </summary>
public static class Gru
{
    /// <summary>Floats of the cache <see cref="Forward"/> fills: B·T·5U.</summary>
    public static int CacheSize(int batch, int timesteps, int units) => checked(batch * timesteps * 5 * units);

    /// <summary>Floats of the scratch <see cref="Backward"/> needs: dm (B, T, 3U), da_h (B, T, U) and dh (B, U).</summary>
    public static int ScratchSize(int batch, int timesteps, int units) => checked(batch * timesteps * 4 * units + batch * units);

    /// <summary>Floats of the output: B·T·U with returnSequences, else B·U.</summary>
    public static int OutputSize(int batch, int timesteps, int units, bool returnSequences) =>
        checked(returnSequences ? batch * timesteps * units : batch * units);

    /// <summary>
    /// x (B, T, F) -> output (B, T, U) or (B, U); fills <paramref name="cache"/> for <see cref="Backward"/>.
    /// <paramref name="mask"/> is empty (no masking) or (B, T) of 0 and 1, indexed like x.
    /// </summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> cache, int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards,
        ReadOnlySpan<float> mask = default)
    {
        Recurrent.CheckShape(batch, timesteps, features, units);
        int g3 = 3 * units, rows = batch * timesteps;
        Recurrent.CheckLength(x.Length, (long)rows * features, nameof(x));
        Recurrent.CheckLength(kernel.Length, (long)features * g3, nameof(kernel));
        Recurrent.CheckLength(recurrentKernel.Length, (long)units * g3, nameof(recurrentKernel));
        Recurrent.CheckLength(bias.Length, 2 * g3, nameof(bias));
        Recurrent.CheckLength(output.Length, OutputSize(batch, timesteps, units, returnSequences), nameof(output));
        Recurrent.CheckAtLeast(cache.Length, CacheSize(batch, timesteps, units), nameof(cache));
        Recurrent.CheckMask(mask, batch, timesteps);

        // a = x @ K + b_in for every timestep at once.
        Dense.Forward(x, kernel, bias[..g3], cache[..(rows * g3)], rows, features, g3);
        int parts = Recurrent.BatchParts(batch, timesteps, units, 3);
        fixed (float* pc = cache, pr = recurrentKernel, pb = bias, po = output, pm = mask)
        {
            var job = new Job
            {
                Cache = pc, Recurrent = pr, RecurrentBias = pb + g3, Output = po, Mask = pm, Batch = batch, Timesteps = timesteps, Units = units, Parts = parts,
                ReturnSequences = returnSequences, GoBackwards = goBackwards,
            };
            if (parts == 1) ForwardRows(job, 0, batch);
            else Workers.Run(&ForwardPart, &job, parts);
        }
    }

    private static unsafe void ForwardPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (r0, r1) = Recurrent.Rows(j.Batch, part, j.Parts);
        ForwardRows(j, r0, r1);
    }

    /// <summary>The recurrence for the batch rows [r0, r1): the gates hold a = x @ K + b_in on entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardRows(in Job j, int r0, int r1)
    {
        int timesteps = j.Timesteps, units = j.Units, g3 = 3 * units, g2 = 2 * units, rows = j.Batch * timesteps;
        float* gates = j.Cache, recurrentH = gates + (long)rows * g3, previous = recurrentH + (long)rows * units;
        var recurrentBias = new ReadOnlySpan<float>(j.RecurrentBias, g3);
        for (int s = 0; s < timesteps; s++)
        {
            int t = Recurrent.Time(s, timesteps, j.GoBackwards);
            for (int r = r0; r < r1; r++)
            {
                long row = (long)r * timesteps + t;
                // gate[z, r] += b_rec's z, r blocks; m_h starts from b_rec's h block, kept apart since the reset gate scales it.
                Dense.Add(recurrentBias[..g2], new Span<float>(gates + row * g3, g2));
                recurrentBias[g2..].CopyTo(new Span<float>(recurrentH + row * units, units));
                if (s == 0) new Span<float>(previous + row * units, units).Clear();
            }
            if (s > 0)
            {
                long first = (long)r0 * timesteps + t;
                Recurrent.MultiplyAdd(ref previous[first * units], timesteps * units, ref *j.Recurrent, g3,
                    ref gates[first * g3], timesteps * g3, r1 - r0, units, g2);
                Recurrent.MultiplyAdd(ref previous[first * units], timesteps * units, ref j.Recurrent[g2], g3,
                    ref recurrentH[first * units], timesteps * units, r1 - r0, units, units);
            }
            for (int r = r0; r < r1; r++)
            {
                long row = (long)r * timesteps + t;
                var gate = new Span<float>(gates + row * g3, g3);
                var candidate = gate[g2..];
                TensorPrimitives.Sigmoid(gate[..g2], gate[..g2]);
                // ĥ = tanh(a_h + r ⊙ m_h).
                TensorPrimitives.MultiplyAdd(gate.Slice(units, units), new ReadOnlySpan<float>(recurrentH + row * units, units), candidate, candidate);
                TensorPrimitives.Tanh(candidate, candidate);
                // h = z ⊙ h_{s−1} + (1 − z) ⊙ ĥ, written where the next step reads it and, for the output, copied or written there.
                float* h = s < timesteps - 1 ? previous + ((long)r * timesteps + Recurrent.Time(s + 1, timesteps, j.GoBackwards)) * units
                    : j.ReturnSequences ? j.Output + ((long)r * timesteps + s) * units : j.Output + (long)r * units;
                NextState(gates + row * g3, previous + row * units, h, units);
                // A masked step: h carries over, the h this step started from.
                if (!Recurrent.Kept(j.Mask, row)) new ReadOnlySpan<float>(previous + row * units, units).CopyTo(new Span<float>(h, units));
                if (j.ReturnSequences && s < timesteps - 1)
                    new ReadOnlySpan<float>(h, units).CopyTo(new Span<float>(j.Output + ((long)r * timesteps + s) * units, units));
            }
        }
    }

    /// <summary>h = z ⊙ h_{s−1} + (1 − z) ⊙ ĥ for one row; <paramref name="gate"/> holds [z, r, ĥ].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void NextState(float* gate, float* hPrevious, float* h, int units)
    {
        int u = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; u + Vector<float>.Count <= units; u += Vector<float>.Count)
            {
                var z = Vector.Load(gate + u);
                Vector.Store(z * Vector.Load(hPrevious + u) + (Vector<float>.One - z) * Vector.Load(gate + 2 * units + u), h + u);
            }
        }
        for (; u < units; u++) h[u] = gate[u] * hPrevious[u] + (1f - gate[u]) * gate[2 * units + u];
    }

    /// <summary>
    /// Backpropagation through time: dOutput (shape of the output) -> dK (F, 3U), dR (U, 3U), db (2, 3U) and, unless
    /// <paramref name="dx"/> is empty (a first layer), dx (B, T, F); all overwrite. <paramref name="cache"/> is what
    /// <see cref="Forward"/> left for the same x, weights and <paramref name="mask"/>; <paramref name="scratch"/> holds <see cref="ScratchSize"/> floats.
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> cache,
        ReadOnlySpan<float> dOutput, Span<float> dKernel, Span<float> dRecurrentKernel, Span<float> dBias, Span<float> dx, Span<float> scratch,
        int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards, ReadOnlySpan<float> mask = default)
    {
        Recurrent.CheckShape(batch, timesteps, features, units);
        int g3 = 3 * units, g2 = 2 * units, rows = batch * timesteps;
        Recurrent.CheckLength(x.Length, (long)rows * features, nameof(x));
        Recurrent.CheckLength(kernel.Length, (long)features * g3, nameof(kernel));
        Recurrent.CheckLength(recurrentKernel.Length, (long)units * g3, nameof(recurrentKernel));
        Recurrent.CheckAtLeast(cache.Length, CacheSize(batch, timesteps, units), nameof(cache));
        Recurrent.CheckLength(dOutput.Length, OutputSize(batch, timesteps, units, returnSequences), nameof(dOutput));
        Recurrent.CheckLength(dKernel.Length, (long)features * g3, nameof(dKernel));
        Recurrent.CheckLength(dRecurrentKernel.Length, (long)units * g3, nameof(dRecurrentKernel));
        Recurrent.CheckLength(dBias.Length, 2 * g3, nameof(dBias));
        if (!dx.IsEmpty) Recurrent.CheckLength(dx.Length, (long)rows * features, nameof(dx));
        Recurrent.CheckAtLeast(scratch.Length, ScratchSize(batch, timesteps, units), nameof(scratch));
        Recurrent.CheckMask(mask, batch, timesteps);

        // dm: the gradient of m = h @ R + b_rec, (B, T, 3U) indexed by input time; its z and r blocks are also a's.
        var dm = scratch[..(rows * g3)];
        // da_h: the gradient of a's h block, which differs from m_h's by the reset gate.
        var dah = scratch.Slice(rows * g3, rows * units);
        int parts = Recurrent.BatchParts(batch, timesteps, units, 3);
        fixed (float* pc = cache, pr = recurrentKernel, pd = dOutput, ps = scratch, pm = mask)
        {
            var job = new Job
            {
                Cache = pc, Recurrent = pr, Output = pd, Scratch = ps, Mask = pm, Batch = batch, Timesteps = timesteps, Units = units, Parts = parts,
                ReturnSequences = returnSequences, GoBackwards = goBackwards,
            };
            if (parts == 1) BackwardRows(job, 0, batch);
            else Workers.Run(&BackwardPart, &job, parts);
        }
        // dR = Σ h_{s−1}ᵀ @ dm_s over every (batch, time) row, the previous states being indexed like dm (h_{−1} = 0); db_rec = Σ dm.
        var previous = cache.Slice(rows * g3 + rows * units, rows * units);
        Dense.BackwardParameters(previous, dm, dRecurrentKernel, dBias[g3..], rows, units, g3);
        // da = dm with its h block swapped for da_h's; dK = xᵀ @ da and db_in = Σ da over all (batch, time) rows; dx = da @ Kᵀ.
        for (int row = 0; row < rows; row++)
        {
            var mh = dm.Slice(row * g3 + g2, units);
            var ah = dah.Slice(row * units, units);
            for (int u = 0; u < units; u++) (mh[u], ah[u]) = (ah[u], mh[u]);
        }
        Dense.BackwardParameters(x, dm, dKernel, dBias[..g3], rows, features, g3);
        if (!dx.IsEmpty) Dense.BackwardInput(dm, kernel, dx, rows, features, g3);
    }

    private static unsafe void BackwardPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (r0, r1) = Recurrent.Rows(j.Batch, part, j.Parts);
        BackwardRows(j, r0, r1);
    }

    /// <summary>dm and da_h for the batch rows [r0, r1), through every step in reverse; <see cref="Job.Output"/> is dOutput.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BackwardRows(in Job j, int r0, int r1)
    {
        int timesteps = j.Timesteps, units = j.Units, g3 = 3 * units, rows = j.Batch * timesteps;
        float* gates = j.Cache, recurrentH = gates + (long)rows * g3, previous = recurrentH + (long)rows * units;
        // dh: the gradient flowing into the state after the step being processed, per batch row.
        float* dm = j.Scratch, dah = dm + (long)rows * g3, dh = dah + (long)rows * units;
        new Span<float>(dh + (long)r0 * units, (r1 - r0) * units).Clear();
        for (int s = timesteps - 1; s >= 0; s--)
        {
            int t = Recurrent.Time(s, timesteps, j.GoBackwards);
            for (int r = r0; r < r1; r++)
            {
                var dhr = new Span<float>(dh + (long)r * units, units);
                if (j.ReturnSequences) Dense.Add(new ReadOnlySpan<float>(j.Output + ((long)r * timesteps + s) * units, units), dhr);
                else if (s == timesteps - 1) Dense.Add(new ReadOnlySpan<float>(j.Output + (long)r * units, units), dhr);
                long row = (long)r * timesteps + t;
                if (!Recurrent.Kept(j.Mask, row))
                {
                    // A masked step carried h over: dm = da_h = 0, and dh passes unchanged to the previous state.
                    // dh waits in the row's da_h while the product below adds to every row's dh.
                    new Span<float>(dm + row * g3, g3).Clear();
                    if (s > 0) dhr.CopyTo(new Span<float>(dah + row * units, units));
                    else new Span<float>(dah + row * units, units).Clear();
                    continue;
                }
                StepGradients(gates + row * g3, recurrentH + row * units, previous + row * units, dh + (long)r * units, dm + row * g3, dah + row * units, units);
            }
            // dh_{s−1} = dh ⊙ z + dm_s @ Rᵀ for the part's rows at once.
            if (s > 0)
            {
                Recurrent.MultiplyTransposed(ref dm[((long)r0 * timesteps + t) * g3], timesteps * g3, ref *j.Recurrent, g3,
                    ref dh[(long)r0 * units], units, r1 - r0, g3, units, accumulate: true);
                if (j.Mask != null) Recurrent.RestoreMasked(j.Mask, dah, units, dh, r0, r1, t, timesteps, units);
            }
        }
    }

    /// <summary>
    /// One row of one step, with dĥ = dh·(1 − z)(1 − ĥ²): dm = [dh·(h_{s−1} − ĥ)·z(1 − z), dĥ·m_h·r(1 − r), dĥ·r], da_h = dĥ,
    /// then dh = dh ⊙ z, the part of dh_{s−1} that does not pass through R.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StepGradients(float* gate, float* m, float* hPrevious, float* dh, float* dm, float* dah, int units)
    {
        int u = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; u + Vector<float>.Count <= units; u += Vector<float>.Count)
            {
                var z = Vector.Load(gate + u);
                var r = Vector.Load(gate + units + u);
                var hh = Vector.Load(gate + 2 * units + u);
                var d = Vector.Load(dh + u);
                var dCandidate = d * (one - z) * (one - hh * hh);
                Vector.Store(d * (Vector.Load(hPrevious + u) - hh) * z * (one - z), dm + u);
                Vector.Store(dCandidate * Vector.Load(m + u) * r * (one - r), dm + units + u);
                Vector.Store(dCandidate * r, dm + 2 * units + u);
                Vector.Store(dCandidate, dah + u);
                Vector.Store(d * z, dh + u);
            }
        }
        for (; u < units; u++)
        {
            float z = gate[u], r = gate[units + u], hh = gate[2 * units + u];
            float d = dh[u];
            float dCandidate = d * (1f - z) * (1f - hh * hh);
            dm[u] = d * (hPrevious[u] - hh) * z * (1f - z);
            dm[units + u] = dCandidate * m[u] * r * (1f - r);
            dm[2 * units + u] = dCandidate * r;
            dah[u] = dCandidate;
            dh[u] = d * z;
        }
    }

    /// <summary>A call's operands, pinned by the caller for the duration of <see cref="Workers.Run"/>.</summary>
    private unsafe struct Job
    {
        /// <summary>
        /// The cache, the recurrent kernel, b_rec (forward), the output (forward) or dOutput (backward), the scratch
        /// (backward), the mask (B, T) or null for none.
        /// </summary>
        public float* Cache, Recurrent, RecurrentBias, Output, Scratch, Mask;
        public int Batch, Timesteps, Units, Parts;
        public bool ReturnSequences, GoBackwards;
    }
}
