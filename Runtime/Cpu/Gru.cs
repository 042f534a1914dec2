using System.Runtime.CompilerServices;

namespace Gen.Cpu;

/// <summary>
/// Keras 3's <c>GRU</c> layer with its defaults (reset_after=True, tanh activation, sigmoid recurrent activation,
/// h₀ = 0, no mask), forward and backpropagation through time, over flat row-major buffers the caller owns.
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
/// Cache (<see cref="CacheSize"/> floats): the activated gates [z, r, ĥ] (B, T, 3U) and m_h (B, T, U), both indexed
/// by input time, then the hidden states (B, T, U) indexed by processing step. Nothing here allocates; parameter
/// gradients and dx overwrite.
/// </para>
/// </summary>
public static class Gru
{
    /// <summary>Floats of the cache <see cref="Forward"/> fills: B·T·5U.</summary>
    public static int CacheSize(int batch, int timesteps, int units) => checked(batch * timesteps * 5 * units);

    /// <summary>Floats of the scratch <see cref="Backward"/> needs: da (B, T, 3U), dm_h (B, T, U) and dh (B, U).</summary>
    public static int ScratchSize(int batch, int timesteps, int units) => checked(batch * timesteps * 4 * units + batch * units);

    /// <summary>Floats of the output: B·T·U with returnSequences, else B·U.</summary>
    public static int OutputSize(int batch, int timesteps, int units, bool returnSequences) =>
        checked(returnSequences ? batch * timesteps * units : batch * units);

    /// <summary>x (B, T, F) -> output (B, T, U) or (B, U); fills <paramref name="cache"/> for <see cref="Backward"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> cache, int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards)
    {
        Recurrent.CheckShape(batch, timesteps, features, units);
        int g3 = 3 * units, g2 = 2 * units, rows = batch * timesteps;
        Recurrent.CheckLength(x.Length, (long)rows * features, nameof(x));
        Recurrent.CheckLength(kernel.Length, (long)features * g3, nameof(kernel));
        Recurrent.CheckLength(recurrentKernel.Length, (long)units * g3, nameof(recurrentKernel));
        Recurrent.CheckLength(bias.Length, 2 * g3, nameof(bias));
        Recurrent.CheckLength(output.Length, OutputSize(batch, timesteps, units, returnSequences), nameof(output));
        Recurrent.CheckAtLeast(cache.Length, CacheSize(batch, timesteps, units), nameof(cache));

        var gates = cache[..(rows * g3)];
        var recurrentH = cache.Slice(rows * g3, rows * units);
        var hidden = cache.Slice(rows * g3 + rows * units, rows * units);
        var recurrentBias = bias.Slice(g3, g3);
        // a = x @ K + b_in for every timestep at once.
        Dense.Forward(x, kernel, bias[..g3], gates, rows, features, g3);
        for (int s = 0; s < timesteps; s++)
        {
            int t = Recurrent.Time(s, timesteps, goBackwards);
            for (int r = 0; r < batch; r++)
            {
                var gate = gates.Slice((r * timesteps + t) * g3, g3);
                var m = recurrentH.Slice((r * timesteps + t) * units, units);
                var h = hidden.Slice((r * timesteps + s) * units, units);
                // gate[z, r] += m_z, m_r; m_h kept apart, since the reset gate scales it.
                Dense.Add(recurrentBias[..g2], gate[..g2]);
                recurrentBias.Slice(g2, units).CopyTo(m);
                ReadOnlySpan<float> hPrevious = default;
                if (s > 0)
                {
                    hPrevious = hidden.Slice((r * timesteps + s - 1) * units, units);
                    for (int k = 0; k < units; k++)
                    {
                        var row = recurrentKernel.Slice(k * g3, g3);
                        Recurrent.Axpy(hPrevious[k], row[..g2], gate);
                        Recurrent.Axpy(hPrevious[k], row[g2..], m);
                    }
                }
                for (int u = 0; u < units; u++)
                {
                    float zg = Activations.Logistic(gate[u]);
                    float rg = Activations.Logistic(gate[units + u]);
                    float hh = MathF.Tanh(gate[g2 + u] + rg * m[u]);
                    gate[u] = zg; gate[units + u] = rg; gate[g2 + u] = hh;
                    h[u] = s > 0 ? zg * hPrevious[u] + (1f - zg) * hh : (1f - zg) * hh;
                }
            }
        }
        Recurrent.WriteOutput(hidden, output, batch, timesteps, units, returnSequences);
    }

    /// <summary>
    /// Backpropagation through time: dOutput (shape of the output) -> dK (F, 3U), dR (U, 3U), db (2, 3U) and, unless
    /// <paramref name="dx"/> is empty (a first layer), dx (B, T, F); all overwrite. <paramref name="cache"/> is what
    /// <see cref="Forward"/> left for the same x and weights; <paramref name="scratch"/> holds <see cref="ScratchSize"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> cache,
        ReadOnlySpan<float> dOutput, Span<float> dKernel, Span<float> dRecurrentKernel, Span<float> dBias, Span<float> dx, Span<float> scratch,
        int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards)
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

        var gates = cache[..(rows * g3)];
        var recurrentH = cache.Slice(rows * g3, rows * units);
        var hidden = cache.Slice(rows * g3 + rows * units, rows * units);
        // da: the gradient of a = x @ K + b_in, (B, T, 3U); its z and r blocks are also those of m = h @ R + b_rec.
        var da = scratch[..(rows * g3)];
        // dm_h: the gradient of m's h block, which differs from a_h's by the reset gate.
        var dmh = scratch.Slice(rows * g3, rows * units);
        var dh = scratch.Slice(rows * g3 + rows * units, batch * units);
        dh.Clear();
        for (int s = timesteps - 1; s >= 0; s--)
        {
            int t = Recurrent.Time(s, timesteps, goBackwards);
            for (int r = 0; r < batch; r++)
            {
                var dhr = dh.Slice(r * units, units);
                if (returnSequences) Dense.Add(dOutput.Slice((r * timesteps + s) * units, units), dhr);
                else if (s == timesteps - 1) Dense.Add(dOutput.Slice(r * units, units), dhr);
                var gate = gates.Slice((r * timesteps + t) * g3, g3);
                var m = recurrentH.Slice((r * timesteps + t) * units, units);
                ReadOnlySpan<float> hPrevious = s > 0 ? hidden.Slice((r * timesteps + s - 1) * units, units) : default;
                var dar = da.Slice((r * timesteps + t) * g3, g3);
                var dmr = dmh.Slice((r * timesteps + t) * units, units);
                for (int u = 0; u < units; u++)
                {
                    float zg = gate[u], rg = gate[units + u], hh = gate[g2 + u];
                    float d = dhr[u];
                    float hp = s > 0 ? hPrevious[u] : 0f;
                    float dCandidate = d * (1f - zg) * (1f - hh * hh);
                    dar[u] = d * (hp - hh) * zg * (1f - zg);
                    dar[units + u] = dCandidate * m[u] * rg * (1f - rg);
                    dar[g2 + u] = dCandidate;
                    dmr[u] = dCandidate * rg;
                }
                // dh_{s−1} = dh ⊙ z + dm @ Rᵀ.
                if (s > 0)
                {
                    for (int k = 0; k < units; k++)
                    {
                        var row = recurrentKernel.Slice(k * g3, g3);
                        dhr[k] = dhr[k] * gate[k] + Recurrent.Dot(dar[..g2], row) + Recurrent.Dot(dmr, row[g2..]);
                    }
                }
            }
        }
        // dR = Σ_s h_{s−1}ᵀ @ dm_s (h_{−1} = 0); db_rec = Σ dm.
        dRecurrentKernel.Clear();
        var dRecurrentBias = dBias.Slice(g3, g3);
        dRecurrentBias.Clear();
        for (int r = 0; r < batch; r++)
        {
            for (int s = 0; s < timesteps; s++)
            {
                int row = r * timesteps + Recurrent.Time(s, timesteps, goBackwards);
                var dar = da.Slice(row * g3, g2);
                var dmr = dmh.Slice(row * units, units);
                Dense.Add(dar, dRecurrentBias[..g2]);
                Dense.Add(dmr, dRecurrentBias[g2..]);
                if (s == 0) continue;
                var hPrevious = hidden.Slice((r * timesteps + s - 1) * units, units);
                for (int k = 0; k < units; k++)
                {
                    var dRow = dRecurrentKernel.Slice(k * g3, g3);
                    Recurrent.Axpy(hPrevious[k], dar, dRow);
                    Recurrent.Axpy(hPrevious[k], dmr, dRow[g2..]);
                }
            }
        }
        // dK = xᵀ @ da and db_in = Σ da over all (batch, time) rows; dx = da @ Kᵀ.
        Dense.BackwardParameters(x, da, dKernel, dBias[..g3], rows, features, g3);
        if (!dx.IsEmpty) Dense.BackwardInput(da, kernel, dx, rows, features, g3);
    }
}
