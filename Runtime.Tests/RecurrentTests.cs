using Gen.Cpu;

namespace Gen.Runtime.Tests;

/// <summary>
/// The LSTM and GRU kernels against independent float64 implementations of Keras's cells written here: the forward
/// pass element by element, every gradient against central differences of the float64 loss Σ output ⊙ W.
/// </summary>
public sealed class RecurrentTests
{
    public enum Cell { Lstm, Gru }

    public static TheoryData<Cell, bool, bool, int, int, int, int> Cases()
    {
        var data = new TheoryData<Cell, bool, bool, int, int, int, int>();
        foreach (var cell in new[] { Cell.Lstm, Cell.Gru })
        {
            foreach (bool sequences in new[] { false, true })
            {
                foreach (bool backwards in new[] { false, true })
                {
                    data.Add(cell, sequences, backwards, 3, 5, 4, 3);
                    data.Add(cell, sequences, backwards, 2, 1, 3, 2);
                }
            }
            // Wide enough for the vector paths of the recurrent loops and of Dense's micro-kernels.
            data.Add(cell, true, false, 2, 4, 6, 8);
            data.Add(cell, false, true, 5, 3, 17, 9);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesFloat64Reference(Cell cell, bool returnSequences, bool goBackwards, int batch, int timesteps, int features, int units)
    {
        var p = Problem.Create(cell, batch, timesteps, features, units, returnSequences, goBackwards, seed: 1);
        var output = p.RunForward(new float[CacheSize(p)]);
        double[] expected = Reference(p, p.X.ToDouble(), p.K.ToDouble(), p.R.ToDouble(), p.B.ToDouble());

        Assert.Equal(expected.Length, output.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - output[i]) <= 2e-6, $"output[{i}] = {output[i]}, expected {expected[i]}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_OverwritesGradientsEqualToCentralDifferences(Cell cell, bool returnSequences, bool goBackwards, int batch, int timesteps, int features, int units)
    {
        var p = Problem.Create(cell, batch, timesteps, features, units, returnSequences, goBackwards, seed: 2);
        var cache = Filled(CacheSize(p), float.NaN);
        p.RunForward(cache);
        // Stale contents everywhere: the gradients overwrite, and the scratch needs no clearing by the caller.
        var dK = Filled(p.K.Length, 1e3f);
        var dR = Filled(p.R.Length, 1e3f);
        var db = Filled(p.B.Length, 1e3f);
        var dx = Filled(p.X.Length, 1e3f);
        var scratch = Filled(ScratchSize(p), float.NaN);

        p.RunBackward(cache, dK, dR, db, dx, scratch);

        var x = p.X.ToDouble();
        var k = p.K.ToDouble();
        var r = p.R.ToDouble();
        var b = p.B.ToDouble();
        double Loss() => Dot(Reference(p, x, k, r, b), p.W);
        AssertGradient(dK, k, Loss, "dK");
        AssertGradient(dR, r, Loss, "dR");
        AssertGradient(db, b, Loss, "db");
        AssertGradient(dx, x, Loss, "dx");
    }

    [Theory]
    [InlineData(Cell.Lstm)]
    [InlineData(Cell.Gru)]
    public void Backward_WithoutDx_GivesTheSameParameterGradients(Cell cell)
    {
        var p = Problem.Create(cell, 3, 5, 4, 3, returnSequences: true, goBackwards: false, seed: 3);
        var cache = new float[CacheSize(p)];
        p.RunForward(cache);
        var (dK1, dR1, db1) = (new float[p.K.Length], new float[p.R.Length], new float[p.B.Length]);
        var (dK2, dR2, db2) = (new float[p.K.Length], new float[p.R.Length], new float[p.B.Length]);

        p.RunBackward(cache, dK1, dR1, db1, new float[p.X.Length], new float[ScratchSize(p)]);
        p.RunBackward(cache, dK2, dR2, db2, [], new float[ScratchSize(p)]);

        Assert.Equal(dK1, dK2);
        Assert.Equal(dR1, dR2);
        Assert.Equal(db1, db2);
        Assert.Contains(dK1, v => v != 0f);
    }

    // ---- Masking (Embedding(mask_zero=True) -> LSTM/GRU) ----

    public static TheoryData<Cell, bool, bool, int, int, int, int> MaskedCases()
    {
        var data = new TheoryData<Cell, bool, bool, int, int, int, int>();
        foreach (var cell in new[] { Cell.Lstm, Cell.Gru })
        {
            foreach (bool sequences in new[] { false, true })
            {
                // Six rows, one per padding pattern: four in the recurrent products' blocked rows, two beside them.
                foreach (bool backwards in new[] { false, true }) data.Add(cell, sequences, backwards, 6, 5, 4, 3);
            }
            // Wide enough for the vector paths of the recurrent loops and of Dense's micro-kernels.
            data.Add(cell, true, true, 7, 6, 17, 9);
            data.Add(cell, false, false, 6, 4, 6, 8);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MaskedCases))]
    public void Forward_WithMask_MatchesFloat64Reference_MaskedStepsRepeatThePreviousOutput(Cell cell, bool returnSequences, bool goBackwards,
        int batch, int timesteps, int features, int units)
    {
        var p = Problem.Create(cell, batch, timesteps, features, units, returnSequences, goBackwards, seed: 11).WithPaddingMask();
        var output = p.RunForward(Filled(CacheSize(p), float.NaN));
        double[] expected = Reference(p, p.X.ToDouble(), p.K.ToDouble(), p.R.ToDouble(), p.B.ToDouble());

        Assert.Equal(expected.Length, output.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - output[i]) <= 2e-6, $"output[{i}] = {output[i]}, expected {expected[i]}");
        if (!returnSequences) return;
        // Exactly: a masked step's output is the previous step's output, zeros before the first step.
        for (int n = 0; n < batch; n++)
        {
            for (int step = 0; step < timesteps; step++)
            {
                if (p.Kept(n, goBackwards ? timesteps - 1 - step : step)) continue;
                var actual = output.AsSpan((n * timesteps + step) * units, units).ToArray();
                var previous = step == 0 ? new float[units] : output.AsSpan((n * timesteps + step - 1) * units, units).ToArray();
                Assert.Equal(previous, actual);
            }
        }
    }

    [Theory]
    [MemberData(nameof(MaskedCases))]
    public void Backward_WithMask_GradientsEqualCentralDifferences_MaskedStepsHaveZeroDx(Cell cell, bool returnSequences, bool goBackwards,
        int batch, int timesteps, int features, int units)
    {
        var p = Problem.Create(cell, batch, timesteps, features, units, returnSequences, goBackwards, seed: 12).WithPaddingMask();
        var cache = Filled(CacheSize(p), float.NaN);
        p.RunForward(cache);
        var dK = Filled(p.K.Length, 1e3f);
        var dR = Filled(p.R.Length, 1e3f);
        var db = Filled(p.B.Length, 1e3f);
        var dx = Filled(p.X.Length, 1e3f);

        p.RunBackward(cache, dK, dR, db, dx, Filled(ScratchSize(p), float.NaN));

        var x = p.X.ToDouble();
        var k = p.K.ToDouble();
        var r = p.R.ToDouble();
        var b = p.B.ToDouble();
        double Loss() => Dot(Reference(p, x, k, r, b), p.W);
        AssertGradient(dK, k, Loss, "dK");
        AssertGradient(dR, r, Loss, "dR");
        AssertGradient(db, b, Loss, "db");
        AssertGradient(dx, x, Loss, "dx");
        for (int n = 0; n < batch; n++)
        {
            for (int t = 0; t < timesteps; t++)
            {
                if (!p.Kept(n, t)) Assert.All(dx.AsSpan((n * timesteps + t) * features, features).ToArray(), v => Assert.Equal(0f, v));
            }
        }
    }

    [Theory]
    [InlineData(Cell.Lstm, false, false)]
    [InlineData(Cell.Lstm, true, true)]
    [InlineData(Cell.Gru, true, false)]
    [InlineData(Cell.Gru, false, true)]
    public void Mask_OfOnlyOnes_GivesBitIdenticalResultsToNoMask(Cell cell, bool returnSequences, bool goBackwards)
    {
        var plain = Problem.Create(cell, 6, 5, 9, 10, returnSequences, goBackwards, seed: 13);
        var ones = plain with { Mask = Filled(6 * 5, 1f) };
        (int[] Output, int[] DK, int[] DR, int[] DB, int[] DX) Run(Problem p)
        {
            var cache = new float[CacheSize(p)];
            var output = p.RunForward(cache);
            var (dK, dR, db, dx) = (new float[p.K.Length], new float[p.R.Length], new float[p.B.Length], new float[p.X.Length]);
            p.RunBackward(cache, dK, dR, db, dx, new float[ScratchSize(p)]);
            return (Bits(output), Bits(dK), Bits(dR), Bits(db), Bits(dx));
        }

        var a = Run(plain);
        var b = Run(ones);

        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.DK, b.DK);
        Assert.Equal(a.DR, b.DR);
        Assert.Equal(a.DB, b.DB);
        Assert.Equal(a.DX, b.DX);
    }

    public static TheoryData<Cell, bool, int, int, float> BadMasks()
    {
        var data = new TheoryData<Cell, bool, int, int, float>();
        foreach (var cell in new[] { Cell.Lstm, Cell.Gru })
        {
            foreach (bool backward in new[] { false, true })
            {
                // (length, index of the bad value or −1, bad value): B·T = 6.
                data.Add(cell, backward, 5, -1, 0f);
                data.Add(cell, backward, 7, -1, 0f);
                data.Add(cell, backward, 6, 4, 0.5f);
                data.Add(cell, backward, 6, 0, 2f);
                data.Add(cell, backward, 6, 5, -1f);
                data.Add(cell, backward, 6, 3, float.NaN);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadMasks))]
    public void Mask_OfTheWrongLengthOrNotZeroOrOne_IsRejectedNamingMask(Cell cell, bool backward, int length, int badIndex, float badValue)
    {
        var p = Problem.Create(cell, 2, 3, 4, 5, returnSequences: true, goBackwards: false, seed: 14);
        var cache = new float[CacheSize(p)];
        p.RunForward(cache);
        var mask = Filled(length, 1f);
        if (badIndex >= 0) mask[badIndex] = badValue;
        var bad = p with { Mask = mask };

        var ex = Assert.Throws<ArgumentException>(() =>
        {
            if (backward) bad.RunBackward(cache, new float[p.K.Length], new float[p.R.Length], new float[p.B.Length], new float[p.X.Length], new float[ScratchSize(p)]);
            else bad.RunForward(new float[CacheSize(p)]);
        });

        Assert.Equal("mask", ex.ParamName);
        if (badIndex < 0) Assert.Contains($"Expected mask to hold 6 floats; got {length}.", ex.Message, StringComparison.Ordinal);
        else Assert.Contains($"got {badValue.ToString(System.Globalization.CultureInfo.InvariantCulture)} at index {badIndex}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lstm_GoBackwards_ReturnsTheSequenceInProcessingOrder()
    {
        // Keras: go_backwards reads x reversed and returns the states in the order computed, i.e. the same as a
        // forward LSTM over the reversed sequence, not re-reversed.
        var backwards = Problem.Create(Cell.Lstm, 2, 4, 3, 3, returnSequences: true, goBackwards: true, seed: 4);
        var forwards = backwards with { GoBackwards = false, X = new float[backwards.X.Length] };
        for (int n = 0; n < 2; n++)
            for (int t = 0; t < 4; t++)
                for (int f = 0; f < 3; f++) forwards.X[(n * 4 + t) * 3 + f] = backwards.X[(n * 4 + 3 - t) * 3 + f];

        var a = backwards.RunForward(new float[CacheSize(backwards)]);
        var b = forwards.RunForward(new float[CacheSize(forwards)]);

        Assert.Equal(b, a);
    }

    [Theory]
    [InlineData(Cell.Lstm, false)]
    [InlineData(Cell.Lstm, true)]
    [InlineData(Cell.Gru, false)]
    [InlineData(Cell.Gru, true)]
    public void ForwardAndBackward_AllocateNothingAfterWarmUp(Cell cell, bool returnSequences)
    {
        foreach (var (batch, timesteps, features, units) in new[] { (3, 5, 4, 3), (16, 8, 64, 64) })
        {
            var p = Problem.Create(cell, batch, timesteps, features, units, returnSequences, goBackwards: true, seed: 5);
            var cache = new float[CacheSize(p)];
            var output = new float[p.W.Length];
            var (dK, dR, db, dx) = (new float[p.K.Length], new float[p.R.Length], new float[p.B.Length], new float[p.X.Length]);
            var scratch = new float[ScratchSize(p)];
            p.Forward(output, cache);
            p.RunBackward(cache, dK, dR, db, dx, scratch);

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++)
            {
                p.Forward(output, cache);
                p.RunBackward(cache, dK, dR, db, dx, scratch);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
        }
    }

    [Theory]
    [InlineData(Cell.Lstm, true, false, false)]
    [InlineData(Cell.Lstm, false, true, false)]
    [InlineData(Cell.Gru, true, true, false)]
    [InlineData(Cell.Gru, false, false, false)]
    [InlineData(Cell.Lstm, true, true, true)]
    [InlineData(Cell.Lstm, false, false, true)]
    [InlineData(Cell.Gru, true, false, true)]
    [InlineData(Cell.Gru, false, true, true)]
    public void Results_AreBitIdenticalWhateverTheThreadCount(Cell cell, bool returnSequences, bool goBackwards, bool masked)
    {
        // Large enough to split the batch across threads; 9 rows split unevenly and leave rows outside the blocked paths.
        var p = Problem.Create(cell, 9, 8, 7, 40, returnSequences, goBackwards, seed: 6);
        if (masked) p = p.WithPaddingMask();
        (float[] Output, float[] DK, float[] DR, float[] DB, float[] DX) Run(int threads)
        {
            int saved = Workers.Count;
            Workers.Count = threads;
            try
            {
                var cache = new float[CacheSize(p)];
                var output = p.RunForward(cache);
                var (dK, dR, db, dx) = (new float[p.K.Length], new float[p.R.Length], new float[p.B.Length], new float[p.X.Length]);
                p.RunBackward(cache, dK, dR, db, dx, new float[ScratchSize(p)]);
                return (output, dK, dR, db, dx);
            }
            finally
            {
                Workers.Count = saved;
            }
        }
        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 5 })
        {
            var many = Run(threads);
            Assert.Equal(one.Output, many.Output);
            Assert.Equal(one.DK, many.DK);
            Assert.Equal(one.DR, many.DR);
            Assert.Equal(one.DB, many.DB);
            Assert.Equal(one.DX, many.DX);
        }
        Assert.Contains(one.DR, v => v != 0f);
    }

    [Fact]
    public void Sizes_AreWhatTheLayoutNeeds()
    {
        Assert.Equal(3 * 5 * 6 * 7, Lstm.CacheSize(3, 5, 7));
        Assert.Equal(3 * 5 * 4 * 7 + 2 * 3 * 7, Lstm.ScratchSize(3, 5, 7));
        Assert.Equal(3 * 5 * 5 * 7, Gru.CacheSize(3, 5, 7));
        Assert.Equal(3 * 5 * 4 * 7 + 3 * 7, Gru.ScratchSize(3, 5, 7));
        Assert.Equal(3 * 7, Lstm.OutputSize(3, 5, 7, returnSequences: false));
        Assert.Equal(3 * 5 * 7, Gru.OutputSize(3, 5, 7, returnSequences: true));
    }

    [Fact]
    public void Forward_WrongBufferLength_ThrowsWithTheParameterName()
    {
        var p = Problem.Create(Cell.Lstm, 2, 3, 4, 5, returnSequences: false, goBackwards: false, seed: 6);
        var ex = Assert.Throws<ArgumentException>(() =>
            Lstm.Forward(p.X, p.K, p.R, new float[3], new float[p.W.Length], new float[CacheSize(p)], 2, 3, 4, 5, false, false));
        Assert.Equal("bias", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() =>
            Gru.Forward(new float[2 * 3 * 4], new float[4 * 15], new float[5 * 15], new float[30], new float[10], new float[Gru.CacheSize(2, 3, 5) - 1], 2, 3, 4, 5, false, false));
        Assert.Equal("cache", ex.ParamName);
    }

    // ---- Initialisers ----

    [Theory]
    [InlineData(3, 12)]
    [InlineData(5, 20)]
    [InlineData(12, 3)]
    [InlineData(7, 7)]
    [InlineData(1, 4)]
    public void Orthogonal_HasOrthonormalRowsOrColumns(int rows, int cols)
    {
        var q = new float[rows * cols];
        Initializers.Orthogonal(q, rows, cols, seed: 42, stream: 3);

        // rows < cols: Q Qᵀ = I (rows × rows); otherwise Qᵀ Q = I (cols × cols).
        bool byRows = rows < cols;
        int size = byRows ? rows : cols, length = byRows ? cols : rows;
        for (int a = 0; a < size; a++)
        {
            for (int b = 0; b < size; b++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++)
                    dot += byRows ? (double)q[a * cols + i] * q[b * cols + i] : (double)q[i * cols + a] * q[i * cols + b];
                Assert.True(Math.Abs(dot - (a == b ? 1 : 0)) <= 1e-5, $"({a}, {b}) = {dot}");
            }
        }
    }

    [Fact]
    public void Orthogonal_SameSeedAndStream_GivesTheSameMatrix_OtherSeedsDiffer()
    {
        float[] Make(ulong seed, ulong stream)
        {
            var q = new float[4 * 16];
            Initializers.Orthogonal(q, 4, 16, seed, stream);
            return q;
        }

        Assert.Equal(Make(7, 1), Make(7, 1));
        Assert.NotEqual(Make(7, 1), Make(8, 1));
        Assert.NotEqual(Make(7, 1), Make(7, 2));
    }

    [Fact]
    public void Orthogonal_IsNotAFixedMatrix_EntriesSpreadLikeARandomRotation()
    {
        // Entries of a random orthogonal n × n matrix have mean 0 and variance 1/n.
        const int N = 64;
        var q = new float[N * N];
        Initializers.Orthogonal(q, N, N, seed: 9, stream: 0);
        double mean = q.Average(v => (double)v), variance = q.Average(v => (double)v * v) - mean * mean;
        Assert.True(Math.Abs(mean) < 0.01, $"mean {mean}");
        Assert.True(Math.Abs(variance * N - 1) < 0.05, $"variance × n = {variance * N}");
    }

    [Fact]
    public void LstmBias_IsZeroWithTheForgetBlockExactlyOne()
    {
        const int Units = 5;
        var bias = Filled(4 * Units, float.NaN);
        Initializers.LstmBias(bias, Units);
        for (int i = 0; i < bias.Length; i++) Assert.Equal(i is >= Units and < 2 * Units ? 1f : 0f, bias[i]);
    }

    // ---- Float64 references, written from Keras's cell definitions and the masked loop of keras.src.backend.*.rnn ----
    // (zero_output_for_mask=False): output = where(mask, new output, previous output), starting from zeros;
    // states = where(mask, new states, states); the last output is the last of the outputs.

    private static double[] Reference(Problem p, double[] x, double[] k, double[] r, double[] b) =>
        p.Cell == Cell.Lstm ? LstmReference(p, x, k, r, b) : GruReference(p, x, k, r, b);

    private static double[] LstmReference(Problem p, double[] x, double[] kernel, double[] rec, double[] bias)
    {
        int T = p.Timesteps, F = p.Features, U = p.Units;
        var output = new double[p.W.Length];
        for (int n = 0; n < p.Batch; n++)
        {
            var h = new double[U];
            var c = new double[U];
            var previousOutput = new double[U];
            for (int step = 0; step < T; step++)
            {
                int t = p.GoBackwards ? T - 1 - step : step;
                var z = new double[4 * U];
                for (int j = 0; j < 4 * U; j++)
                {
                    double sum = bias[j];
                    for (int f = 0; f < F; f++) sum += x[(n * T + t) * F + f] * kernel[f * 4 * U + j];
                    for (int q = 0; q < U; q++) sum += h[q] * rec[q * 4 * U + j];
                    z[j] = sum;
                }
                var nextH = new double[U];
                var nextC = new double[U];
                for (int u = 0; u < U; u++)
                {
                    double i = Sigmoid(z[u]), f = Sigmoid(z[U + u]), g = Math.Tanh(z[2 * U + u]), o = Sigmoid(z[3 * U + u]);
                    nextC[u] = f * c[u] + i * g;
                    nextH[u] = o * Math.Tanh(nextC[u]);
                }
                bool kept = p.Kept(n, t);
                double[] stepOutput = kept ? nextH : previousOutput;
                if (kept) (h, c) = (nextH, nextC);
                previousOutput = stepOutput;
                if (p.ReturnSequences) Array.Copy(stepOutput, 0, output, (n * T + step) * U, U);
            }
            if (!p.ReturnSequences) Array.Copy(previousOutput, 0, output, n * U, U);
        }
        return output;
    }

    private static double[] GruReference(Problem p, double[] x, double[] kernel, double[] rec, double[] bias)
    {
        int T = p.Timesteps, F = p.Features, U = p.Units;
        var output = new double[p.W.Length];
        for (int n = 0; n < p.Batch; n++)
        {
            var h = new double[U];
            var previousOutput = new double[U];
            for (int step = 0; step < T; step++)
            {
                int t = p.GoBackwards ? T - 1 - step : step;
                var matrixX = new double[3 * U];
                var matrixInner = new double[3 * U];
                for (int j = 0; j < 3 * U; j++)
                {
                    double sx = bias[j], sh = bias[3 * U + j];
                    for (int f = 0; f < F; f++) sx += x[(n * T + t) * F + f] * kernel[f * 3 * U + j];
                    for (int q = 0; q < U; q++) sh += h[q] * rec[q * 3 * U + j];
                    matrixX[j] = sx;
                    matrixInner[j] = sh;
                }
                var next = new double[U];
                for (int u = 0; u < U; u++)
                {
                    double z = Sigmoid(matrixX[u] + matrixInner[u]);
                    double r = Sigmoid(matrixX[U + u] + matrixInner[U + u]);
                    double hh = Math.Tanh(matrixX[2 * U + u] + r * matrixInner[2 * U + u]);
                    next[u] = z * h[u] + (1 - z) * hh;
                }
                bool kept = p.Kept(n, t);
                double[] stepOutput = kept ? next : previousOutput;
                if (kept) h = next;
                previousOutput = stepOutput;
                if (p.ReturnSequences) Array.Copy(stepOutput, 0, output, (n * T + step) * U, U);
            }
            if (!p.ReturnSequences) Array.Copy(previousOutput, 0, output, n * U, U);
        }
        return output;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static void AssertGradient(float[] actual, double[] parameters, Func<double> loss, string name)
    {
        double[] numeric = CentralDifferences.Gradient(parameters, loss);
        for (int i = 0; i < parameters.Length; i++)
            Assert.True(Math.Abs(actual[i] - numeric[i]) <= 2e-5 + 1e-4 * Math.Abs(numeric[i]), $"{name}[{i}] = {actual[i]}, expected {numeric[i]}");
    }

    private sealed record Problem
    {
        public required Cell Cell { get; init; }
        public required int Batch { get; init; }
        public required int Timesteps { get; init; }
        public required int Features { get; init; }
        public required int Units { get; init; }
        public required bool ReturnSequences { get; init; }
        public required bool GoBackwards { get; init; }
        public required float[] X { get; init; }
        public required float[] K { get; init; }
        public required float[] R { get; init; }
        public required float[] B { get; init; }
        /// <summary>The loss weights: L = Σ output ⊙ W, so dL/doutput = W.</summary>
        public required float[] W { get; init; }
        /// <summary>(B, T) of 0 and 1 indexed like x, or empty for no mask.</summary>
        public float[] Mask { get; init; } = [];

        public bool Kept(int n, int t) => Mask.Length == 0 || Mask[n * Timesteps + t] != 0f;

        /// <summary>
        /// Padding as Embedding(mask_zero=True) gives it, one pattern per row in turn: left padding, right padding, a hole
        /// in the middle, every step masked, every step kept, and alternating steps starting masked.
        /// </summary>
        public Problem WithPaddingMask()
        {
            var mask = new float[Batch * Timesteps];
            for (int n = 0; n < Batch; n++)
            {
                for (int t = 0; t < Timesteps; t++)
                {
                    bool kept = (n % 6) switch
                    {
                        0 => t >= 2,
                        1 => t < Timesteps - 2,
                        2 => t is not (1 or 2),
                        3 => false,
                        4 => true,
                        _ => t % 2 == 1,
                    };
                    mask[n * Timesteps + t] = kept ? 1f : 0f;
                }
            }
            return this with { Mask = mask };
        }

        public static Problem Create(Cell cell, int batch, int timesteps, int features, int units, bool returnSequences, bool goBackwards, int seed)
        {
            var random = new Random(seed * 7919 + (int)cell * 131 + batch * 31 + timesteps * 7 + features * 3 + units + (returnSequences ? 1000 : 0) + (goBackwards ? 2000 : 0));
            int gates = cell == Cell.Lstm ? 4 * units : 3 * units;
            return new Problem
            {
                Cell = cell, Batch = batch, Timesteps = timesteps, Features = features, Units = units,
                ReturnSequences = returnSequences, GoBackwards = goBackwards,
                X = RandomArray(random, batch * timesteps * features, 1.0),
                K = RandomArray(random, features * gates, 0.6),
                R = RandomArray(random, units * gates, 0.6),
                B = RandomArray(random, cell == Cell.Lstm ? gates : 2 * gates, 0.5),
                W = RandomArray(random, returnSequences ? batch * timesteps * units : batch * units, 1.0),
            };
        }

        public float[] RunForward(float[] cache)
        {
            var output = Filled(W.Length, float.NaN);
            Forward(output, cache);
            return output;
        }

        public void Forward(float[] output, float[] cache)
        {
            if (Cell == Cell.Lstm) Lstm.Forward(X, K, R, B, output, cache, Batch, Timesteps, Features, Units, ReturnSequences, GoBackwards, Mask);
            else Gru.Forward(X, K, R, B, output, cache, Batch, Timesteps, Features, Units, ReturnSequences, GoBackwards, Mask);
        }

        public void RunBackward(float[] cache, float[] dK, float[] dR, float[] db, float[] dx, float[] scratch)
        {
            if (Cell == Cell.Lstm) Lstm.Backward(X, K, R, cache, W, dK, dR, db, dx, scratch, Batch, Timesteps, Features, Units, ReturnSequences, GoBackwards, Mask);
            else Gru.Backward(X, K, R, cache, W, dK, dR, db, dx, scratch, Batch, Timesteps, Features, Units, ReturnSequences, GoBackwards, Mask);
        }
    }

    private static int CacheSize(Problem p) => p.Cell == Cell.Lstm ? Lstm.CacheSize(p.Batch, p.Timesteps, p.Units) : Gru.CacheSize(p.Batch, p.Timesteps, p.Units);

    private static int ScratchSize(Problem p) => p.Cell == Cell.Lstm ? Lstm.ScratchSize(p.Batch, p.Timesteps, p.Units) : Gru.ScratchSize(p.Batch, p.Timesteps, p.Units);

    private static double Dot(double[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static float[] RandomArray(Random random, int length, double scale)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)((2 * random.NextDouble() - 1) * scale);
        return values;
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static float[] Filled(int length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }
}

internal static class FloatArrayExtensions
{
    public static double[] ToDouble(this float[] values) => Array.ConvertAll(values, v => (double)v);
}
