using Gen.Cpu;

namespace Gen.Runtime.Tests;

/// <summary>BatchNorm, Dropout, Embedding, Concatenate and Add kernels against float64 references written here.</summary>
public sealed class LayerKernelTests
{
    // ---------------------------------------------------------------- BatchNorm

    /// <summary>Rows, features, and an offset added to x (a large one tests the variance's stability); 130 features cross the kernel's block of 128.</summary>
    public static TheoryData<int, int, float> BatchNormShapes => new()
    {
        { 7, 5, 0f },
        { 2, 3, 0f },
        { 16, 130, 0f },
        { 9, 4, 1000f },
    };

    [Theory]
    [MemberData(nameof(BatchNormShapes))]
    public void BatchNormTrainingForward_NormalizesWithBatchMeanAndBiasedVariance(int rows, int features, float offset)
    {
        var random = new Random(rows * 100 + features);
        var x = RandomArray(random, rows * features, offset);
        var gamma = RandomArray(random, features, 1f);
        var beta = RandomArray(random, features);
        var movingMean = new float[features];
        var movingVariance = Filled(features, 1f);
        var y = Filled(rows * features, float.NaN);
        var cache = Filled(BatchNorm.CacheSize(rows, features), float.NaN);

        BatchNorm.TrainingForward(x, gamma, beta, movingMean, movingVariance, y, cache, rows, features);

        var expected = ReferenceBatchNorm(ToDouble(x), ToDouble(gamma), ToDouble(beta), rows, features, 1e-3);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 2e-5 * (1 + Math.Abs(expected[i])), $"y[{i}]: expected {expected[i]}, got {y[i]}");
    }

    [Theory]
    [MemberData(nameof(BatchNormShapes))]
    public void BatchNormBackward_MatchesCentralDifferencesOfTheReference(int rows, int features, float offset)
    {
        var random = new Random(rows * 300 + features);
        var x = RandomArray(random, rows * features, offset);
        var gamma = RandomArray(random, features, 1f);
        var beta = RandomArray(random, features);
        var lossWeights = RandomArray(random, rows * features);
        var (dx, dGamma, dBeta) = RunBatchNormBackward(x, gamma, beta, lossWeights, rows, features);

        var (numericDx, numericDGamma, numericDBeta) = NumericGradients(x, gamma, beta, lossWeights, rows, features);
        AssertGradient(numericDx, dx, "dx");
        AssertGradient(numericDGamma, dGamma, "dGamma");
        AssertGradient(numericDBeta, dBeta, "dBeta");
    }

    [Fact]
    public void BatchNormWithoutCenterOrScale_UsesUnitGammaAndZeroBetaWithoutTheirGradients()
    {
        const int Rows = 6, Features = 3;
        var random = new Random(11);
        var x = RandomArray(random, Rows * Features);
        var lossWeights = RandomArray(random, Rows * Features);
        var y = new float[Rows * Features];
        var cache = new float[BatchNorm.CacheSize(Rows, Features)];
        BatchNorm.TrainingForward(x, [], [], new float[Features], Filled(Features, 1f), y, cache, Rows, Features);
        var expected = ReferenceBatchNorm(ToDouble(x), Filled(Features, 1.0), new double[Features], Rows, Features, 1e-3);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 5e-5);

        var dx = Filled(Rows * Features, float.NaN);
        BatchNorm.Backward(lossWeights, [], cache, dx, [], [], Rows, Features);
        var (numericDx, _, _) = NumericGradients(x, Filled(Features, 1f), new float[Features], lossWeights, Rows, Features);
        AssertGradient(numericDx, dx, "dx");
    }

    [Fact]
    public void BatchNormMovingStatistics_AfterThreeSteps_FollowKerasMomentumOnTheOldValue()
    {
        const int Rows = 8, Features = 4;
        const float Momentum = 0.9f;
        var random = new Random(5);
        var gamma = Filled(Features, 1f);
        var beta = new float[Features];
        var movingMean = new float[Features];
        var movingVariance = Filled(Features, 1f);
        var expectedMean = new double[Features];
        var expectedVariance = Filled(Features, 1.0);
        var y = new float[Rows * Features];
        var cache = new float[BatchNorm.CacheSize(Rows, Features)];
        for (int step = 0; step < 3; step++)
        {
            var x = RandomArray(random, Rows * Features, 2f * step);
            BatchNorm.TrainingForward(x, gamma, beta, movingMean, movingVariance, y, cache, Rows, Features, momentum: Momentum);
            for (int c = 0; c < Features; c++)
            {
                double mean = 0, variance = 0;
                for (int r = 0; r < Rows; r++) mean += x[r * Features + c];
                mean /= Rows;
                for (int r = 0; r < Rows; r++) variance += Math.Pow(x[r * Features + c] - mean, 2);
                variance /= Rows; // biased: divided by N, not N − 1
                expectedMean[c] = expectedMean[c] * Momentum + mean * (1 - Momentum);
                expectedVariance[c] = expectedVariance[c] * Momentum + variance * (1 - Momentum);
            }
        }
        for (int c = 0; c < Features; c++)
        {
            Assert.Equal(expectedMean[c], movingMean[c], 1e-5);
            Assert.Equal(expectedVariance[c], movingVariance[c], 1e-5);
        }
    }

    [Fact]
    public void BatchNormInferenceForward_UsesTheMovingStatistics()
    {
        const int Rows = 5, Features = 3;
        var random = new Random(8);
        var x = RandomArray(random, Rows * Features, 3f);
        var gamma = RandomArray(random, Features, 1f);
        var beta = RandomArray(random, Features);
        float[] movingMean = [0.5f, -1f, 2f], movingVariance = [0.25f, 4f, 1.5f];
        var y = Filled(Rows * Features, float.NaN);

        BatchNorm.InferenceForward(x, gamma, beta, movingMean, movingVariance, y, Rows, Features, epsilon: 1e-3f);

        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Features; c++)
            {
                int i = r * Features + c;
                double expected = (x[i] - (double)movingMean[c]) / Math.Sqrt(movingVariance[c] + 1e-3) * gamma[c] + beta[c];
                Assert.Equal(expected, y[i], 1e-5);
            }
        }
    }

    [Fact]
    public void BatchNormInferenceBackward_MatchesCentralDifferencesWithConstantMovingStatistics()
    {
        const int Rows = 6, Features = 4;
        var random = new Random(12);
        var x = RandomArray(random, Rows * Features, 1f);
        var gamma = RandomArray(random, Features, 1f);
        var beta = RandomArray(random, Features);
        float[] movingMean = [0.5f, -1f, 2f, 0f], movingVariance = [0.25f, 4f, 1.5f, 1f];
        var weights = RandomArray(random, Rows * Features);
        var dx = Filled(Rows * Features, 77f);
        var dGamma = Filled(Features, -5f);
        var dBeta = Filled(Features, 9f);

        BatchNorm.InferenceBackward(x, weights, gamma, movingMean, movingVariance, dx, dGamma, dBeta, Rows, Features);

        double[] xd = ToDouble(x), gd = ToDouble(gamma), bd = ToDouble(beta);
        double Loss()
        {
            double sum = 0;
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Features; c++)
                {
                    int i = r * Features + c;
                    sum += ((xd[i] - movingMean[c]) / Math.Sqrt(movingVariance[c] + 1e-3) * gd[c] + bd[c]) * weights[i];
                }
            return sum;
        }
        AssertGradient(CentralDifferences.Gradient(xd, Loss), dx, "dx");
        AssertGradient(CentralDifferences.Gradient(gd, Loss), dGamma, "dGamma");
        AssertGradient(CentralDifferences.Gradient(bd, Loss), dBeta, "dBeta");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormBackward_WithEmptyDx_GivesTheSameParameterGradientsAndSkipsDx(bool scale)
    {
        // 130 features cross the kernel's block of 128, so both blocks must be handled without dx.
        const int Rows = 9, Features = 130;
        var random = new Random(scale ? 21 : 22);
        var x = RandomArray(random, Rows * Features, 0.5f);
        var gamma = scale ? RandomArray(random, Features, 1f) : [];
        var dy = RandomArray(random, Rows * Features);
        var cache = new float[BatchNorm.CacheSize(Rows, Features)];
        BatchNorm.TrainingForward(x, gamma, RandomArray(random, Features), new float[Features], Filled(Features, 1f), new float[Rows * Features], cache, Rows, Features);
        var dx = Filled(Rows * Features, 77f);
        var dGamma = scale ? Filled(Features, -5f) : [];
        var dBeta = Filled(Features, 9f);
        BatchNorm.Backward(dy, gamma, cache, dx, dGamma, dBeta, Rows, Features);

        var dGammaAlone = scale ? Filled(Features, 3f) : [];
        var dBetaAlone = Filled(Features, 4f);
        BatchNorm.Backward(dy, gamma, cache, Span<float>.Empty, dGammaAlone, dBetaAlone, Rows, Features);

        Assert.DoesNotContain(77f, dx);
        Assert.Equal(dGamma, dGammaAlone);
        Assert.Equal(dBeta, dBetaAlone);
        Assert.Throws<ArgumentException>("dx", () => BatchNorm.Backward(dy, gamma, cache, new float[Rows * Features - 1], dGamma, dBeta, Rows, Features));
    }

    [Fact]
    public void BatchNorm_RejectsWrongSizes()
    {
        var cache = new float[BatchNorm.CacheSize(2, 3)];
        Assert.Throws<ArgumentException>("gamma", () => BatchNorm.TrainingForward(new float[6], new float[2], [], new float[3], new float[3], new float[6], cache, 2, 3));
        Assert.Throws<ArgumentException>("cache", () => BatchNorm.TrainingForward(new float[6], [], [], new float[3], new float[3], new float[6], new float[8], 2, 3));
        Assert.Throws<ArgumentException>("dGamma", () => BatchNorm.Backward(new float[6], [], cache, new float[6], new float[3], [], 2, 3));
    }

    private static (float[] Dx, float[] DGamma, float[] DBeta) RunBatchNormBackward(float[] x, float[] gamma, float[] beta, float[] dy, int rows, int features)
    {
        var y = new float[rows * features];
        var cache = new float[BatchNorm.CacheSize(rows, features)];
        BatchNorm.TrainingForward(x, gamma, beta, new float[features], Filled(features, 1f), y, cache, rows, features);
        // Garbage first: the gradients must overwrite, not accumulate.
        var dx = Filled(rows * features, 77f);
        var dGamma = Filled(features, -5f);
        var dBeta = Filled(features, 9f);
        BatchNorm.Backward(dy, gamma, cache, dx, dGamma, dBeta, rows, features);
        return (dx, dGamma, dBeta);
    }

    /// <summary>Central differences of L = Σ y ⊙ weights, with y from <see cref="ReferenceBatchNorm"/> in float64.</summary>
    private static (double[] Dx, double[] DGamma, double[] DBeta) NumericGradients(float[] x, float[] gamma, float[] beta, float[] weights, int rows, int features)
    {
        double[] xd = ToDouble(x), gd = ToDouble(gamma), bd = ToDouble(beta);
        double Loss()
        {
            var y = ReferenceBatchNorm(xd, gd, bd, rows, features, 1e-3);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += y[i] * weights[i];
            return sum;
        }
        return (CentralDifferences.Gradient(xd, Loss), CentralDifferences.Gradient(gd, Loss), CentralDifferences.Gradient(bd, Loss));
    }

    /// <summary>Independent float64 BatchNorm: per column, mean and biased variance, then (x − μ)/√(σ² + ε)·γ + β.</summary>
    private static double[] ReferenceBatchNorm(double[] x, double[] gamma, double[] beta, int rows, int features, double epsilon)
    {
        var y = new double[x.Length];
        for (int c = 0; c < features; c++)
        {
            double mean = 0;
            for (int r = 0; r < rows; r++) mean += x[r * features + c];
            mean /= rows;
            double variance = 0;
            for (int r = 0; r < rows; r++) variance += (x[r * features + c] - mean) * (x[r * features + c] - mean);
            variance /= rows;
            for (int r = 0; r < rows; r++) y[r * features + c] = (x[r * features + c] - mean) / Math.Sqrt(variance + epsilon) * gamma[c] + beta[c];
        }
        return y;
    }

    private static void AssertGradient(double[] expected, float[] actual, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-3 * scale + 1e-4 * Math.Abs(expected[i]), $"{name}[{i}]: expected {expected[i]}, got {actual[i]} (scale {scale})");
    }

    // ---------------------------------------------------------------- Dropout

    [Fact]
    public void DropoutMask_IsPinnedForATinyCase()
    {
        // The cross-backend contract: any backend must reproduce these bits for seed 42, step 7, layer 3, rate 0.5.
        var x = Filled(10, 1f);
        var y = new float[10];
        var mask = new float[10];
        Dropout.Forward(x, y, mask, 0.5f, seed: 42, step: 7, layerIndex: 3, training: true);
        float[] expected = [2, 2, 0, 2, 2, 2, 0, 2, 2, 2];
        Assert.Equal(expected, mask);
    }

    [Fact]
    public void DropoutMask_FollowsTheDocumentedPhiloxCounterLayout()
    {
        const int N = 23;
        const float Rate = 0.3f;
        const ulong Seed = 0xDEADBEEF12345678;
        const long Step = (5L << 32) + 17;
        const int Layer = 6;
        var mask = new float[N];
        Dropout.Forward(new float[N], new float[N], mask, Rate, Seed, Step, Layer, training: true);
        for (int i = 0; i < N; i++)
        {
            var (w0, w1, w2, w3) = Philox.Generate(Seed, (uint)(i / 4), 17u, 5u, Layer);
            uint word = (i % 4) switch { 0 => w0, 1 => w1, 2 => w2, _ => w3 };
            float expected = (word >> 8) / 16777216f >= Rate ? 1f / (1f - Rate) : 0f;
            Assert.Equal(expected, mask[i]);
        }
    }

    [Fact]
    public void DropoutMask_IsDeterministicAndDiffersAcrossSeedsStepsAndLayers()
    {
        var reference = DropoutMask(seed: 1, step: 2, layer: 3);
        Assert.Equal(reference, DropoutMask(seed: 1, step: 2, layer: 3));
        Assert.NotEqual(reference, DropoutMask(seed: 9, step: 2, layer: 3));
        Assert.NotEqual(reference, DropoutMask(seed: 1, step: 4, layer: 3));
        Assert.NotEqual(reference, DropoutMask(seed: 1, step: 2 + (1L << 32), layer: 3));
        Assert.NotEqual(reference, DropoutMask(seed: 1, step: 2, layer: 0));
    }

    [Theory]
    [InlineData(0.3f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void DropoutTraining_KeepsAboutOneMinusRateAndPreservesTheMean(float rate)
    {
        const int N = 100_000;
        var x = Filled(N, 1f);
        var y = new float[N];
        var mask = new float[N];
        Dropout.Forward(x, y, mask, rate, seed: 123, step: 0, layerIndex: 0, training: true);

        float scale = 1f / (1f - rate);
        int kept = 0;
        for (int i = 0; i < N; i++)
        {
            Assert.True(mask[i] == 0f || mask[i] == scale, $"mask[{i}] = {mask[i]}");
            if (mask[i] != 0f) kept++;
            Assert.Equal(x[i] * mask[i], y[i]);
        }
        double p = 1 - rate, sigma = Math.Sqrt(p * (1 - p) / N);
        Assert.InRange(kept / (double)N, p - 5 * sigma, p + 5 * sigma);
        // y's mean is kept/N·scale; its standard error is sigma·scale.
        Assert.InRange(y.Average(v => (double)v), 1 - 5 * sigma * scale, 1 + 5 * sigma * scale);
    }

    [Fact]
    public void DropoutInferenceAndRateZero_AreTheIdentity()
    {
        var x = RandomArray(new Random(3), 37);
        var y = new float[37];
        var mask = Filled(37, float.NaN);
        Dropout.Forward(x, y, mask, 0.5f, seed: 1, step: 1, layerIndex: 1, training: false);
        Assert.Equal(x, y);
        Assert.All(mask, m => Assert.Equal(1f, m));

        var y0 = new float[37];
        Dropout.Forward(x, y0, new float[37], 0f, seed: 1, step: 1, layerIndex: 1, training: true);
        Assert.Equal(x, y0);
        Dropout.Forward(x, y0, [], 0.5f, seed: 1, step: 1, layerIndex: 1, training: false);
        Assert.Equal(x, y0);
    }

    [Fact]
    public void DropoutBackward_IsMaskTimesDy()
    {
        const int N = 41;
        var random = new Random(4);
        var x = RandomArray(random, N);
        var mask = new float[N];
        Dropout.Forward(x, new float[N], mask, 0.4f, seed: 5, step: 6, layerIndex: 7, training: true);
        Assert.Contains(0f, mask);
        var dy = RandomArray(random, N);
        var dx = Filled(N, float.NaN);
        Dropout.Backward(dy, mask, dx);
        for (int i = 0; i < N; i++) Assert.Equal(dy[i] * mask[i], dx[i]);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void Dropout_RejectsARateOutsideZeroToOne(float rate)
    {
        Assert.Throws<ArgumentException>("rate", () => Dropout.Forward(new float[4], new float[4], new float[4], rate, 0, 0, 0, training: true));
    }

    private static float[] DropoutMask(ulong seed, long step, int layer)
    {
        var mask = new float[64];
        Dropout.Forward(Filled(64, 1f), new float[64], mask, 0.5f, seed, step, layer, training: true);
        return mask;
    }

    // ---------------------------------------------------------------- Embedding

    [Fact]
    public void EmbeddingForward_GathersTableRows()
    {
        const int V = 5, D = 3;
        var table = RandomArray(new Random(6), V * D);
        float[] indices = [4, 0, 2, 2, 1, 4]; // B = 2, T = 3
        var y = Filled(indices.Length * D, float.NaN);
        Embedding.Forward(indices, table, y, indices.Length, V, D);
        for (int i = 0; i < indices.Length; i++)
            for (int d = 0; d < D; d++) Assert.Equal(table[(int)indices[i] * D + d], y[i * D + d]);
    }

    [Fact]
    public void EmbeddingBackward_OverwritesAndAccumulatesRepeatedIndices()
    {
        const int V = 5, D = 3;
        float[] indices = [4, 0, 2, 2, 1, 4, 2];
        var dy = RandomArray(new Random(7), indices.Length * D);
        var dTable = Filled(V * D, 50f);
        Embedding.Backward(indices, dy, dTable, indices.Length, V, D);
        var expected = new double[V * D];
        for (int i = 0; i < indices.Length; i++)
            for (int d = 0; d < D; d++) expected[(int)indices[i] * D + d] += dy[i * D + d];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], dTable[i], 1e-6);
        Assert.All(dTable.AsSpan(3 * D, D).ToArray(), v => Assert.Equal(0f, v)); // index 3 never appears
    }

    [Theory]
    [InlineData(5f)]
    [InlineData(-1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Embedding_RejectsAnIndexOutsideTheVocabulary(float bad)
    {
        float[] indices = [1, bad, 0];
        var ex = Assert.Throws<ArgumentException>("indices", () => Embedding.Forward(indices, new float[10], new float[6], 3, 5, 2));
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        Assert.Contains("[0, 5)", ex.Message);

        var dTable = Filled(10, 3f);
        Assert.Throws<ArgumentException>("indices", () => Embedding.Backward(indices, new float[6], dTable, 3, 5, 2));
        Assert.All(dTable, v => Assert.Equal(3f, v));
    }

    // ---------------------------------------------------------------- Merge

    [Fact]
    public void Concatenate_JoinsRowsForwardAndSplitsThemBackward()
    {
        float[] a = [1, 2, 3, 4], b = [10, 20, 30, 40, 50, 60]; // a (2, 2), b (2, 3)
        var y = Filled(10, float.NaN);
        Concatenate.Forward(a, b, y, 2, 2, 3);
        Assert.Equal([1, 2, 10, 20, 30, 3, 4, 40, 50, 60], y);

        float[] dy = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var da = Filled(4, float.NaN);
        var db = Filled(6, float.NaN);
        Concatenate.Backward(dy, da, db, 2, 2, 3);
        Assert.Equal([1, 2, 6, 7], da);
        Assert.Equal([3, 4, 5, 8, 9, 10], db);
    }

    [Fact]
    public void ConcatenateParts_PlaceEachInputAtItsOffsetForwardAndCutItOutBackward()
    {
        float[] a = [1, 2, 3, 4], b = [10, 20, 30, 40, 50, 60], c = [7, 8]; // a (2, 2), b (2, 3), c (2, 1)
        var y = Filled(12, float.NaN);
        Concatenate.ForwardPart(a, y, 2, 2, 6, 0);
        Concatenate.ForwardPart(b, y, 2, 3, 6, 2);
        Concatenate.ForwardPart(c, y, 2, 1, 6, 5);
        Assert.Equal([1, 2, 10, 20, 30, 7, 3, 4, 40, 50, 60, 8], y);

        // Two parts give what the two-input Forward gives.
        var two = Filled(10, float.NaN);
        var parts = Filled(10, float.NaN);
        Concatenate.Forward(a, b, two, 2, 2, 3);
        Concatenate.ForwardPart(a, parts, 2, 2, 5, 0);
        Concatenate.ForwardPart(b, parts, 2, 3, 5, 2);
        Assert.Equal(two, parts);

        float[] dy = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var da = Filled(4, float.NaN);
        var db = Filled(6, float.NaN);
        var dc = Filled(2, float.NaN);
        Concatenate.BackwardPart(dy, da, 2, 2, 6, 0);
        Concatenate.BackwardPart(dy, db, 2, 3, 6, 2);
        Concatenate.BackwardPart(dy, dc, 2, 1, 6, 5);
        Assert.Equal([1, 2, 7, 8], da);
        Assert.Equal([3, 4, 5, 9, 10, 11], db);
        Assert.Equal([6, 12], dc);
    }

    [Fact]
    public void ConcatenateParts_RejectBadSizes_NamingTheArgument()
    {
        var y = new float[12];
        Assert.Throws<ArgumentException>("width", () => Concatenate.ForwardPart(new float[4], y, 2, 2, 6, 5));
        Assert.Throws<ArgumentException>("part", () => Concatenate.ForwardPart(new float[3], y, 2, 2, 6, 0));
        Assert.Throws<ArgumentException>("y", () => Concatenate.ForwardPart(new float[4], new float[11], 2, 2, 6, 0));
        Assert.Throws<ArgumentOutOfRangeException>("offset", () => Concatenate.ForwardPart(new float[4], y, 2, 2, 6, -1));
        Assert.Throws<ArgumentOutOfRangeException>("partWidth", () => Concatenate.BackwardPart(y, new float[4], 2, 0, 6, 0));
        Assert.Throws<ArgumentException>("dPart", () => Concatenate.BackwardPart(y, new float[3], 2, 2, 6, 0));
        Assert.Throws<ArgumentException>("dy", () => Concatenate.BackwardPart(new float[11], new float[4], 2, 2, 6, 0));
    }

    [Fact]
    public void Add_SumsForwardAndPassesDyToBothBackward()
    {
        var random = new Random(9);
        var a = RandomArray(random, 19);
        var b = RandomArray(random, 19);
        var y = Filled(19, float.NaN);
        Add.Forward(a, b, y);
        for (int i = 0; i < 19; i++) Assert.Equal(a[i] + b[i], y[i]);

        var dy = RandomArray(random, 19);
        var da = Filled(19, float.NaN);
        var db = Filled(19, float.NaN);
        Add.Backward(dy, da, db);
        Assert.Equal(dy, da);
        Assert.Equal(dy, db);
        Assert.Throws<ArgumentException>("b", () => Add.Forward(a, new float[18], y));
    }

    // ---------------------------------------------------------------- Allocation

    [Fact]
    public void Kernels_DoNotAllocateAfterWarmUp()
    {
        const int Rows = 12, Features = 140, V = 7, D = 5;
        var random = new Random(10);
        var x = RandomArray(random, Rows * Features);
        var gamma = RandomArray(random, Features, 1f);
        var beta = RandomArray(random, Features);
        var movingMean = new float[Features];
        var movingVariance = Filled(Features, 1f);
        var y = new float[Rows * Features];
        var dx = new float[Rows * Features];
        var dGamma = new float[Features];
        var dBeta = new float[Features];
        var cache = new float[BatchNorm.CacheSize(Rows, Features)];
        var mask = new float[Rows * Features];
        float[] indices = [1, 6, 0, 6];
        var table = RandomArray(random, V * D);
        var rowsOut = new float[indices.Length * D];
        var dTable = new float[V * D];
        var a = new float[Rows * 3];
        var b = new float[Rows * 4];
        var joined = new float[Rows * 7];

        void RunAll(int step)
        {
            BatchNorm.TrainingForward(x, gamma, beta, movingMean, movingVariance, y, cache, Rows, Features);
            BatchNorm.InferenceForward(x, gamma, beta, movingMean, movingVariance, y, Rows, Features);
            BatchNorm.Backward(x, gamma, cache, dx, dGamma, dBeta, Rows, Features);
            BatchNorm.InferenceBackward(x, y, gamma, movingMean, movingVariance, dx, dGamma, dBeta, Rows, Features);
            Dropout.Forward(x, y, mask, 0.25f, 99, step, 2, training: true);
            Dropout.Forward(x, y, mask, 0.25f, 99, step, 2, training: false);
            Dropout.Backward(x, mask, dx);
            Embedding.Forward(indices, table, rowsOut, indices.Length, V, D);
            Embedding.Backward(indices, rowsOut, dTable, indices.Length, V, D);
            Concatenate.Forward(a, b, joined, Rows, 3, 4);
            Concatenate.Backward(joined, a, b, Rows, 3, 4);
            Add.Forward(x, dx, y);
            Add.Backward(x, y, dx);
        }

        RunAll(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 1; step <= 20; step++) RunAll(step);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    // ---------------------------------------------------------------- Helpers

    private static float[] RandomArray(Random random, int length, float offset = 0f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = offset + (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static T[] Filled<T>(int length, T value)
    {
        var values = new T[length];
        Array.Fill(values, value);
        return values;
    }

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
