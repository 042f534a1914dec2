using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Gen.Cpu;

/// <summary>
/// Keras 3's <c>LSTM</c> layer (tanh activation, sigmoid recurrent activation, one bias, h₀ = c₀ = 0, an optional mask),
/// forward and backpropagation through time, over flat row-major buffers the caller owns.
/// <para>
/// Shapes: x (B, T, F); kernel K (F, 4U); recurrent kernel R (U, 4U); bias b (4U); gate blocks in Keras's order
/// [i, f, c, o]. Step: z = x_t @ K + h @ R + b, i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o),
/// c = f·c + i·g, h = o·tanh(c).
/// </para>
/// <para>
/// Output: every h (B, T, U) with returnSequences, else the last h (B, U). With goBackwards the steps read
/// x_{T−1}, …, x_0 and, as in Keras (<c>keras.src.backend.*.rnn</c>), the sequence output is in processing
/// order: output[:, s] is the state after reading x_{T−1−s}; it is not reversed back (<c>Bidirectional</c> does that).
/// </para>
/// <para>
/// Mask (optional, B·T floats indexed like x by (row, input time t), 1 = kept, 0 = masked; empty = every step kept):
/// as Keras's <c>rnn</c> with <c>zero_output_for_mask=False</c>, a masked step leaves h and c as they were and its
/// output repeats the previous output, which is that same h (0 before the first kept step); the last output is the
/// state after the last kept step, 0 if none. In the backward pass a masked step has dz = 0 (so no parameter gradient
/// and dx = 0 there) and passes dh and dc, including the gradient of its repeated output, unchanged to the state it carried.
/// </para>
/// <para>
/// Cache (<see cref="CacheSize"/> floats, written by <see cref="Forward"/>, read by <see cref="Backward"/>):
/// the activated gates [i, f, g, o] (B, T, 4U) indexed by input time, the cell states (B, T, U) indexed by processing
/// step (the carried c at a masked step), then the previous hidden states (B, T, U) indexed by input time: at x_t's
/// row, the h the step reading x_t started from (0 for the first step), so that dR is one product over every (batch, time) row.
/// Nothing here allocates; parameter gradients and dx overwrite.
/// </para>
/// <para>
/// The batch is split into parts (<see cref="Recurrent.BatchParts"/>), each running the whole recurrence for its rows
/// on one thread, a timestep's recurrent product h @ R as one register-blocked product over the part's rows. Every
/// row's arithmetic is the same whatever part holds it, so results do not depend on the thread count.
/// </para>
/// </summary>
public static class Lstm
{
    /// <summary>Floats of the cache <see cref="Forward"/> fills: B·T·6U.</summary>
    public static int CacheSize(int batch, int timesteps, int units) => checked(batch * timesteps * 6 * units);

    /// <summary>Floats of the scratch <see cref="Backward"/> needs: dz (B, T, 4U), dh (B, U) and dc (B, U).</summary>
    public static int ScratchSize(int batch, int timesteps, int units) => checked(batch * timesteps * 4 * units + 2 * batch * units);

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
        int g4 = 4 * units, rows = batch * timesteps;
        Recurrent.CheckLength(x.Length, (long)rows * features, nameof(x));
        Recurrent.CheckLength(kernel.Length, (long)features * g4, nameof(kernel));
        Recurrent.CheckLength(recurrentKernel.Length, (long)units * g4, nameof(recurrentKernel));
        Recurrent.CheckLength(bias.Length, g4, nameof(bias));
        Recurrent.CheckLength(output.Length, OutputSize(batch, timesteps, units, returnSequences), nameof(output));
        Recurrent.CheckAtLeast(cache.Length, CacheSize(batch, timesteps, units), nameof(cache));
        Recurrent.CheckMask(mask, batch, timesteps);

        // The input projection of every timestep at once: gates[b, t] = x[b, t] @ K + b.
        Dense.Forward(x, kernel, bias, cache[..(rows * g4)], rows, features, g4);
        int parts = Recurrent.BatchParts(batch, timesteps, units, 4);
        fixed (float* pc = cache, pr = recurrentKernel, po = output, pm = mask)
        {
            var job = new Job
            {
                Cache = pc, Recurrent = pr, Output = po, Mask = pm, Batch = batch, Timesteps = timesteps, Units = units, Parts = parts,
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

    /// <summary>The recurrence for the batch rows [r0, r1): the gates hold x @ K + b on entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardRows(in Job j, int r0, int r1)
    {
        int timesteps = j.Timesteps, units = j.Units, g4 = 4 * units, rows = j.Batch * timesteps;
        float* gates = j.Cache, cells = gates + (long)rows * g4, previous = cells + (long)rows * units;
        for (int s = 0; s < timesteps; s++)
        {
            int t = Recurrent.Time(s, timesteps, j.GoBackwards);
            if (s > 0)
            {
                // z[r, t] += h_{s−1}[r] @ R for the part's rows at once.
                Recurrent.MultiplyAdd(ref previous[((long)r0 * timesteps + t) * units], timesteps * units, ref *j.Recurrent, g4,
                    ref gates[((long)r0 * timesteps + t) * g4], timesteps * g4, r1 - r0, units, g4);
            }
            for (int r = r0; r < r1; r++)
            {
                var z = new Span<float>(gates + ((long)r * timesteps + t) * g4, g4);
                var c = new Span<float>(cells + ((long)r * timesteps + s) * units, units);
                if (s == 0) new Span<float>(previous + ((long)r * timesteps + t) * units, units).Clear();
                TensorPrimitives.Sigmoid(z[..(2 * units)], z[..(2 * units)]);
                TensorPrimitives.Tanh(z.Slice(2 * units, units), z.Slice(2 * units, units));
                TensorPrimitives.Sigmoid(z[(3 * units)..], z[(3 * units)..]);
                // c = f·c_{s−1} + i·g.
                TensorPrimitives.Multiply(z[..units], z.Slice(2 * units, units), c);
                if (s > 0) TensorPrimitives.MultiplyAdd(z.Slice(units, units), new ReadOnlySpan<float>(cells + ((long)r * timesteps + s - 1) * units, units), c, c);
                // h = o·tanh(c), written where the next step reads it and, for the output, copied or written there.
                float* hp = s < timesteps - 1 ? previous + ((long)r * timesteps + Recurrent.Time(s + 1, timesteps, j.GoBackwards)) * units
                    : j.ReturnSequences ? j.Output + ((long)r * timesteps + s) * units : j.Output + (long)r * units;
                var h = new Span<float>(hp, units);
                TensorPrimitives.Tanh(c, h);
                TensorPrimitives.Multiply(h, z[(3 * units)..], h);
                if (!Recurrent.Kept(j.Mask, (long)r * timesteps + t))
                {
                    // A masked step: h and c carry over, the cell of the previous step (0 before the first) and the h this step started from.
                    if (s > 0) new ReadOnlySpan<float>(cells + ((long)r * timesteps + s - 1) * units, units).CopyTo(c);
                    else c.Clear();
                    new ReadOnlySpan<float>(previous + ((long)r * timesteps + t) * units, units).CopyTo(h);
                }
                if (j.ReturnSequences && s < timesteps - 1) h.CopyTo(new Span<float>(j.Output + ((long)r * timesteps + s) * units, units));
            }
        }
    }

    /// <summary>
    /// Backpropagation through time: dOutput (shape of the output) -> dK (F, 4U), dR (U, 4U), db (4U) and, unless
    /// <paramref name="dx"/> is empty (a first layer), dx (B, T, F); all overwrite. <paramref name="cache"/> is what
    /// <see cref="Forward"/> left for the same x, weights and <paramref name="mask"/>; <paramref name="scratch"/> holds <see cref="ScratchSize"/> floats.
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> cache,
        ReadOnlySpan<float> dOutput, Span<float> dKernel, Span<float> dRecurrentKernel, Span<float> dBias, Span<float> dx, Span<float> scratch,
        int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards, ReadOnlySpan<float> mask = default)
    {
        Recurrent.CheckShape(batch, timesteps, features, units);
        int g4 = 4 * units, rows = batch * timesteps;
        Recurrent.CheckLength(x.Length, (long)rows * features, nameof(x));
        Recurrent.CheckLength(kernel.Length, (long)features * g4, nameof(kernel));
        Recurrent.CheckLength(recurrentKernel.Length, (long)units * g4, nameof(recurrentKernel));
        Recurrent.CheckAtLeast(cache.Length, CacheSize(batch, timesteps, units), nameof(cache));
        Recurrent.CheckLength(dOutput.Length, OutputSize(batch, timesteps, units, returnSequences), nameof(dOutput));
        Recurrent.CheckLength(dKernel.Length, (long)features * g4, nameof(dKernel));
        Recurrent.CheckLength(dRecurrentKernel.Length, (long)units * g4, nameof(dRecurrentKernel));
        Recurrent.CheckLength(dBias.Length, g4, nameof(dBias));
        if (!dx.IsEmpty) Recurrent.CheckLength(dx.Length, (long)rows * features, nameof(dx));
        Recurrent.CheckAtLeast(scratch.Length, ScratchSize(batch, timesteps, units), nameof(scratch));
        Recurrent.CheckMask(mask, batch, timesteps);

        // dz: the gradient of the pre-activations z, (B, T, 4U) indexed by input time like x and the gates.
        var dz = scratch[..(rows * g4)];
        int parts = Recurrent.BatchParts(batch, timesteps, units, 4);
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
        // dR = Σ h_{s−1}ᵀ @ dz_s over every (batch, time) row, the previous states being indexed like dz (h_{−1} = 0).
        var previous = cache.Slice(rows * g4 + rows * units, rows * units);
        Dense.BackwardParameters(previous, dz, dRecurrentKernel, default, rows, units, g4);
        // dK = xᵀ @ dz and db = Σ dz over all (batch, time) rows; dx = dz @ Kᵀ.
        Dense.BackwardParameters(x, dz, dKernel, dBias, rows, features, g4);
        if (!dx.IsEmpty) Dense.BackwardInput(dz, kernel, dx, rows, features, g4);
    }

    private static unsafe void BackwardPart(void* state, int part)
    {
        ref Job j = ref *(Job*)state;
        var (r0, r1) = Recurrent.Rows(j.Batch, part, j.Parts);
        BackwardRows(j, r0, r1);
    }

    /// <summary>dz for the batch rows [r0, r1), through every step in reverse; <see cref="Job.Output"/> is dOutput.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BackwardRows(in Job j, int r0, int r1)
    {
        int timesteps = j.Timesteps, units = j.Units, g4 = 4 * units, rows = j.Batch * timesteps;
        float* gates = j.Cache, cells = gates + (long)rows * g4;
        // dh, dc: the gradient flowing into the state after the step being processed, per batch row.
        float* dz = j.Scratch, dh = dz + (long)rows * g4, dc = dh + (long)j.Batch * units;
        new Span<float>(dh + (long)r0 * units, (r1 - r0) * units).Clear();
        new Span<float>(dc + (long)r0 * units, (r1 - r0) * units).Clear();
        for (int s = timesteps - 1; s >= 0; s--)
        {
            int t = Recurrent.Time(s, timesteps, j.GoBackwards);
            for (int r = r0; r < r1; r++)
            {
                var dhr = new Span<float>(dh + (long)r * units, units);
                if (j.ReturnSequences) Dense.Add(new ReadOnlySpan<float>(j.Output + ((long)r * timesteps + s) * units, units), dhr);
                else if (s == timesteps - 1) Dense.Add(new ReadOnlySpan<float>(j.Output + (long)r * units, units), dhr);
                float* dzr = dz + ((long)r * timesteps + t) * g4;
                if (!Recurrent.Kept(j.Mask, (long)r * timesteps + t))
                {
                    // A masked step carried h and c over: dz = 0, and dh, dc pass unchanged to the previous state.
                    // dh waits in the row's dz while the product below overwrites every row's dh.
                    var dzRow = new Span<float>(dzr, g4);
                    dzRow.Clear();
                    if (s > 0) dhr.CopyTo(dzRow);
                    continue;
                }
                float* c = cells + ((long)r * timesteps + s) * units;
                // tanh(c) goes where dz_o will be, which is written last from it.
                TensorPrimitives.Tanh(new ReadOnlySpan<float>(c, units), new Span<float>(dzr + 3 * units, units));
                StepGradients(gates + ((long)r * timesteps + t) * g4, s > 0 ? c - units : null, dh + (long)r * units, dc + (long)r * units, dzr, units);
            }
            // dh_{s−1} = dz_s @ Rᵀ for the part's rows at once.
            if (s > 0)
            {
                Recurrent.MultiplyTransposed(ref dz[((long)r0 * timesteps + t) * g4], timesteps * g4, ref *j.Recurrent, g4,
                    ref dh[(long)r0 * units], units, r1 - r0, g4, units, accumulate: false);
                if (j.Mask != null) Recurrent.RestoreMasked(j.Mask, dz, g4, dh, r0, r1, t, timesteps, units);
            }
        }
    }

    /// <summary>
    /// One row of one step: dz = [dc'·g·i(1−i), dc'·c_{s−1}·f(1−f), dc'·i(1−g²), dh·tanh(c)·o(1−o)] with dc' = dc + dh·o(1−tanh²c),
    /// then dc = dc'·f. <paramref name="dz"/>'s o block holds tanh(c) on entry; <paramref name="cPrevious"/> is null at the first step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StepGradients(float* gate, float* cPrevious, float* dh, float* dc, float* dz, int units)
    {
        int u = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; u + Vector<float>.Count <= units; u += Vector<float>.Count)
            {
                var i = Vector.Load(gate + u);
                var f = Vector.Load(gate + units + u);
                var g = Vector.Load(gate + 2 * units + u);
                var o = Vector.Load(gate + 3 * units + u);
                var tanhC = Vector.Load(dz + 3 * units + u);
                var dhu = Vector.Load(dh + u);
                var cp = cPrevious == null ? Vector<float>.Zero : Vector.Load(cPrevious + u);
                var dCell = Vector.Load(dc + u) + dhu * o * (one - tanhC * tanhC);
                Vector.Store(dCell * g * i * (one - i), dz + u);
                Vector.Store(dCell * cp * f * (one - f), dz + units + u);
                Vector.Store(dCell * i * (one - g * g), dz + 2 * units + u);
                Vector.Store(dhu * tanhC * o * (one - o), dz + 3 * units + u);
                Vector.Store(dCell * f, dc + u);
            }
        }
        for (; u < units; u++)
        {
            float i = gate[u], f = gate[units + u], g = gate[2 * units + u], o = gate[3 * units + u];
            float tanhC = dz[3 * units + u];
            float dhu = dh[u];
            float cp = cPrevious == null ? 0f : cPrevious[u];
            float dCell = dc[u] + dhu * o * (1f - tanhC * tanhC);
            dz[u] = dCell * g * i * (1f - i);
            dz[units + u] = dCell * cp * f * (1f - f);
            dz[2 * units + u] = dCell * i * (1f - g * g);
            dz[3 * units + u] = dhu * tanhC * o * (1f - o);
            dc[u] = dCell * f;
        }
    }

    /// <summary>A call's operands, pinned by the caller for the duration of <see cref="Workers.Run"/>.</summary>
    private unsafe struct Job
    {
        /// <summary>
        /// The cache, the recurrent kernel, the output (forward) or dOutput (backward), the scratch (backward), the mask
        /// (B, T) or null for none.
        /// </summary>
        public float* Cache, Recurrent, Output, Scratch, Mask;
        public int Batch, Timesteps, Units, Parts;
        public bool ReturnSequences, GoBackwards;
    }
}
