using System.Runtime.CompilerServices;

namespace Gen.Cpu;

/// <summary>
/// Keras 3's <c>LSTM</c> layer (tanh activation, sigmoid recurrent activation, one bias, h₀ = c₀ = 0, no mask),
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
/// Cache (<see cref="CacheSize"/> floats, written by <see cref="Forward"/>, read by <see cref="Backward"/>):
/// the activated gates [i, f, g, o] (B, T, 4U) indexed by input time, then the cell states (B, T, U) and the
/// hidden states (B, T, U) indexed by processing step. Nothing here allocates; parameter gradients and dx overwrite.
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

    /// <summary>x (B, T, F) -> output (B, T, U) or (B, U); fills <paramref name="cache"/> for <see cref="Backward"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> cache, int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards)
    {
        Recurrent.CheckShape(batch, timesteps, features, units);
        int g4 = 4 * units, rows = batch * timesteps;
        Recurrent.CheckLength(x.Length, (long)rows * features, nameof(x));
        Recurrent.CheckLength(kernel.Length, (long)features * g4, nameof(kernel));
        Recurrent.CheckLength(recurrentKernel.Length, (long)units * g4, nameof(recurrentKernel));
        Recurrent.CheckLength(bias.Length, g4, nameof(bias));
        Recurrent.CheckLength(output.Length, OutputSize(batch, timesteps, units, returnSequences), nameof(output));
        Recurrent.CheckAtLeast(cache.Length, CacheSize(batch, timesteps, units), nameof(cache));

        var gates = cache[..(rows * g4)];
        var cells = cache.Slice(rows * g4, rows * units);
        var hidden = cache.Slice(rows * g4 + rows * units, rows * units);
        // The input projection of every timestep at once: gates[b, t] = x[b, t] @ K + b.
        Dense.Forward(x, kernel, bias, gates, rows, features, g4);
        for (int s = 0; s < timesteps; s++)
        {
            int t = Recurrent.Time(s, timesteps, goBackwards);
            for (int r = 0; r < batch; r++)
            {
                var z = gates.Slice((r * timesteps + t) * g4, g4);
                var c = cells.Slice((r * timesteps + s) * units, units);
                var h = hidden.Slice((r * timesteps + s) * units, units);
                ReadOnlySpan<float> cPrevious = default;
                if (s > 0)
                {
                    var hPrevious = hidden.Slice((r * timesteps + s - 1) * units, units);
                    cPrevious = cells.Slice((r * timesteps + s - 1) * units, units);
                    for (int k = 0; k < units; k++) Recurrent.Axpy(hPrevious[k], recurrentKernel.Slice(k * g4, g4), z);
                }
                for (int u = 0; u < units; u++)
                {
                    float i = Activations.Logistic(z[u]);
                    float f = Activations.Logistic(z[units + u]);
                    float g = MathF.Tanh(z[2 * units + u]);
                    float o = Activations.Logistic(z[3 * units + u]);
                    float cell = s > 0 ? f * cPrevious[u] + i * g : i * g;
                    z[u] = i; z[units + u] = f; z[2 * units + u] = g; z[3 * units + u] = o;
                    c[u] = cell;
                    h[u] = o * MathF.Tanh(cell);
                }
            }
        }
        Recurrent.WriteOutput(hidden, output, batch, timesteps, units, returnSequences);
    }

    /// <summary>
    /// Backpropagation through time: dOutput (shape of the output) -> dK (F, 4U), dR (U, 4U), db (4U) and, unless
    /// <paramref name="dx"/> is empty (a first layer), dx (B, T, F); all overwrite. <paramref name="cache"/> is what
    /// <see cref="Forward"/> left for the same x and weights; <paramref name="scratch"/> holds <see cref="ScratchSize"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrentKernel, ReadOnlySpan<float> cache,
        ReadOnlySpan<float> dOutput, Span<float> dKernel, Span<float> dRecurrentKernel, Span<float> dBias, Span<float> dx, Span<float> scratch,
        int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards)
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

        var gates = cache[..(rows * g4)];
        var cells = cache.Slice(rows * g4, rows * units);
        var hidden = cache.Slice(rows * g4 + rows * units, rows * units);
        // dz: the gradient of the pre-activations z, (B, T, 4U) indexed by input time like x and the gates.
        var dz = scratch[..(rows * g4)];
        // dh, dc: the gradient flowing into the state after the step being processed, per batch row.
        var dh = scratch.Slice(rows * g4, batch * units);
        var dc = scratch.Slice(rows * g4 + batch * units, batch * units);
        dh.Clear();
        dc.Clear();
        for (int s = timesteps - 1; s >= 0; s--)
        {
            int t = Recurrent.Time(s, timesteps, goBackwards);
            for (int r = 0; r < batch; r++)
            {
                var dhr = dh.Slice(r * units, units);
                var dcr = dc.Slice(r * units, units);
                if (returnSequences) Dense.Add(dOutput.Slice((r * timesteps + s) * units, units), dhr);
                else if (s == timesteps - 1) Dense.Add(dOutput.Slice(r * units, units), dhr);
                var gate = gates.Slice((r * timesteps + t) * g4, g4);
                var c = cells.Slice((r * timesteps + s) * units, units);
                ReadOnlySpan<float> cPrevious = s > 0 ? cells.Slice((r * timesteps + s - 1) * units, units) : default;
                var dzr = dz.Slice((r * timesteps + t) * g4, g4);
                for (int u = 0; u < units; u++)
                {
                    float i = gate[u], f = gate[units + u], g = gate[2 * units + u], o = gate[3 * units + u];
                    float tanhC = MathF.Tanh(c[u]);
                    float dhu = dhr[u];
                    float dCell = dcr[u] + dhu * o * (1f - tanhC * tanhC);
                    float cp = s > 0 ? cPrevious[u] : 0f;
                    dzr[u] = dCell * g * i * (1f - i);
                    dzr[units + u] = dCell * cp * f * (1f - f);
                    dzr[2 * units + u] = dCell * i * (1f - g * g);
                    dzr[3 * units + u] = dhu * tanhC * o * (1f - o);
                    dcr[u] = dCell * f;
                }
                // dh_{s−1} = dz_s @ Rᵀ.
                if (s > 0)
                {
                    for (int k = 0; k < units; k++) dhr[k] = Recurrent.Dot(dzr, recurrentKernel.Slice(k * g4, g4));
                }
            }
        }
        // dR = Σ_s h_{s−1}ᵀ @ dz_s (h_{−1} = 0).
        dRecurrentKernel.Clear();
        for (int r = 0; r < batch; r++)
        {
            for (int s = 1; s < timesteps; s++)
            {
                var hPrevious = hidden.Slice((r * timesteps + s - 1) * units, units);
                var dzr = dz.Slice((r * timesteps + Recurrent.Time(s, timesteps, goBackwards)) * g4, g4);
                for (int k = 0; k < units; k++) Recurrent.Axpy(hPrevious[k], dzr, dRecurrentKernel.Slice(k * g4, g4));
            }
        }
        // dK = xᵀ @ dz and db = Σ dz over all (batch, time) rows; dx = dz @ Kᵀ.
        Dense.BackwardParameters(x, dz, dKernel, dBias, rows, features, g4);
        if (!dx.IsEmpty) Dense.BackwardInput(dz, kernel, dx, rows, features, g4);
    }
}
