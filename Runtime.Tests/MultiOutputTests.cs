using System.Numerics.Tensors;
using Gen.Cpu;

namespace Gen.Runtime.Tests;

/// <summary>
/// Multi-output models: <see cref="MultiOutputLoss"/> against an independent float64 implementation written here (value,
/// and gradient against its central differences), the per-output metrics against hand-computed values, the column
/// kernels, <see cref="Targets.Join"/> and the label checks.
/// </summary>
public sealed class MultiOutputTests
{
    // Rows: predictions [price (2) | kind (3) | flag (1)], targets [price (2) | kind label (1) | flag (1)].
    private const int Batch = 4;

    /// <summary>price: MSE, weight 1; kind: SCCE on probabilities, weight 0.5; optionally flag: BCE on logits, Sum reduction, weight 0.25.</summary>
    private static MultiOutputLoss CreateLoss(bool withFlag)
    {
        var price = new OutputHead("price", new MeanSquaredError(), 1.0f, 0, 2, 0);
        var kind = new OutputHead("kind", new SparseCategoricalCrossentropy(), 0.5f, 2, 3, 2);
        return withFlag
            ? new MultiOutputLoss(price, kind, new OutputHead("flag", new BinaryCrossentropy(fromLogits: true) { Reduction = Reduction.Sum }, 0.25f, 5, 1, 3))
            : new MultiOutputLoss(price, kind);
    }

    /// <summary>
    /// The float64 reference, from Keras's formulas: per head, per-sample losses times the sample weights, reduced
    /// (sum over batch size for price and kind, sum for flag), then 1·price + 0.5·kind + 0.25·flag.
    /// </summary>
    private static double ReferenceLoss(double[] pred, float[] target, float[] weights, int batch, bool withFlag)
    {
        int outputRow = withFlag ? 6 : 5, targetRow = withFlag ? 4 : 3;
        double price = 0, kind = 0, flag = 0;
        for (int i = 0; i < batch; i++)
        {
            double w = weights.Length == 0 ? 1 : weights[i];
            int p = i * outputRow, t = i * targetRow;
            double e0 = pred[p] - target[t], e1 = pred[p + 1] - target[t + 1];
            price += (e0 * e0 + e1 * e1) / 2 * w;
            int label = (int)target[t + 2];
            kind += -Math.Log(pred[p + 2 + label] / (pred[p + 2] + pred[p + 3] + pred[p + 4])) * w;
            if (withFlag)
            {
                double x = pred[p + 5], y = target[t + 3];
                flag += (Math.Max(x, 0) - x * y + Math.Log(1 + Math.Exp(-Math.Abs(x)))) * w;
            }
        }
        return price / batch + 0.5 * (kind / batch) + 0.25 * flag;
    }

    /// <summary>Predictions away from the SCCE clip (probabilities in [0.1, 1], rows not normalised), labels 0..2, flag targets in [0, 1].</summary>
    private static (float[] Pred, float[] Target, float[] Weights) Draw(int batch, bool withFlag, bool weighted, int seed)
    {
        var random = new Random(seed);
        int outputRow = withFlag ? 6 : 5, targetRow = withFlag ? 4 : 3;
        var pred = new float[batch * outputRow];
        var target = new float[batch * targetRow];
        for (int i = 0; i < batch; i++)
        {
            int p = i * outputRow, t = i * targetRow;
            pred[p] = (float)(random.NextDouble() * 2 - 1);
            pred[p + 1] = (float)(random.NextDouble() * 2 - 1);
            for (int j = 2; j < 5; j++) pred[p + j] = (float)(0.1 + 0.9 * random.NextDouble());
            target[t] = (float)(random.NextDouble() * 2 - 1);
            target[t + 1] = (float)(random.NextDouble() * 2 - 1);
            target[t + 2] = i % 3;
            if (withFlag)
            {
                pred[p + 5] = (float)(random.NextDouble() * 4 - 2);
                target[t + 3] = (float)random.NextDouble();
            }
        }
        float[] weights = weighted ? new[] { 0.5f, 2f, 0f, 1.25f, 3f, 0.75f }[..batch] : [];
        return (pred, target, weights);
    }

    public static TheoryData<bool, bool> Configurations => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    // ---------------------------------------------------------------- MultiOutputLoss

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Compute_IsTheWeightedSumOfTheHeadsLosses_AsTheFloat64Reference(bool withFlag, bool weighted)
    {
        var (pred, target, weights) = Draw(Batch, withFlag, weighted, seed: withFlag ? 1 : 2);

        float actual = CreateLoss(withFlag).Compute(pred, target, weights, Batch, Span<float>.Empty);

        double expected = ReferenceLoss(ToDouble(pred), target, weights, Batch, withFlag);
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Abs(expected) + 1e-7, $"expected {expected}, got {actual}");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Gradient_MatchesCentralDifferencesOfTheFloat64Reference(bool withFlag, bool weighted)
    {
        var (pred, target, weights) = Draw(Batch, withFlag, weighted, seed: withFlag ? 3 : 4);
        var gradient = Filled(pred.Length, float.NaN);

        float withGradient = CreateLoss(withFlag).Compute(pred, target, weights, Batch, gradient);
        float withoutGradient = CreateLoss(withFlag).Compute(pred, target, weights, Batch, Span<float>.Empty);

        Assert.Equal(withoutGradient, withGradient);
        var p = ToDouble(pred);
        var numeric = CentralDifferences.Gradient(p, () => ReferenceLoss(p, target, weights, Batch, withFlag), h: 1e-6);
        int nonZero = 0;
        for (int i = 0; i < numeric.Length; i++)
        {
            if (Math.Abs(numeric[i]) > 1e-4) nonZero++;
            Assert.True(Math.Abs(gradient[i] - numeric[i]) <= 2e-5 + 2e-3 * Math.Abs(numeric[i]),
                $"d/dyPred[{i}]: analytic {gradient[i]}, float64 central difference {numeric[i]}");
        }
        // Only the zero-weight sample's columns may vanish.
        Assert.True(nonZero >= numeric.Length - (weighted ? numeric.Length / Batch : 0), $"only {nonZero} of {numeric.Length} gradients are non-zero");
    }

    [Fact]
    public void Compute_AddsTheWeightedHeadLossesInFloatInHeadOrder()
    {
        var (pred, target, weights) = Draw(Batch, withFlag: true, weighted: true, seed: 5);
        var loss = CreateLoss(withFlag: true);

        float total = loss.Compute(pred, target, weights, Batch, Span<float>.Empty);

        float expected = 0f;
        foreach (var head in loss.Heads)
        {
            var p = new float[Batch * head.OutputWidth];
            var t = new float[Batch * head.TargetWidth];
            for (int i = 0; i < Batch; i++)
            {
                Array.Copy(pred, i * loss.OutputSize + head.OutputOffset, p, i * head.OutputWidth, head.OutputWidth);
                Array.Copy(target, i * loss.TargetSize + head.TargetOffset, t, i * head.TargetWidth, head.TargetWidth);
            }
            expected += head.Weight * head.Loss.Compute(p, t, weights, Batch, Span<float>.Empty);
        }
        Assert.Equal(expected, total);
    }

    [Fact]
    public void Gradient_OverwritesEveryColumn_AndScratchFromALargerBatchLeavesNothingStale()
    {
        var (big, bigTarget, bigWeights) = Draw(6, withFlag: true, weighted: true, seed: 6);
        var (pred, target, weights) = Draw(2, withFlag: true, weighted: true, seed: 7);
        var reused = CreateLoss(withFlag: true);
        reused.Compute(big, bigTarget, bigWeights, 6, new float[big.Length]);

        var gradient = Filled(pred.Length, float.NaN);
        float value = reused.Compute(pred, target, weights, 2, gradient);
        var fresh = new float[pred.Length];
        float freshValue = CreateLoss(withFlag: true).Compute(pred, target, weights, 2, fresh);

        Assert.Equal(freshValue, value);
        Assert.Equal(fresh, gradient);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Gradient_OfAZeroWeightHeadIsZero_AndItsLossDoesNotCount()
    {
        var price = new OutputHead("price", new MeanSquaredError(), 0f, 0, 2, 0);
        var kind = new OutputHead("kind", new SparseCategoricalCrossentropy(), 1f, 2, 3, 2);
        var loss = new MultiOutputLoss(price, kind);
        var (pred, target, _) = Draw(Batch, withFlag: false, weighted: false, seed: 8);
        var gradient = Filled(pred.Length, float.NaN);

        float value = loss.Compute(pred, target, [], Batch, gradient);

        double expected = ReferenceLoss(ToDouble(pred), target, [], Batch, withFlag: false) - PriceOnly(pred, target);
        Assert.Equal(2 * expected, value, 1e-5); // the reference weighs kind by 0.5
        for (int i = 0; i < Batch; i++)
        {
            Assert.Equal(0f, gradient[i * 5]);
            Assert.Equal(0f, gradient[i * 5 + 1]);
            Assert.NotEqual(0f, gradient[i * 5 + 2]);
        }

        static double PriceOnly(float[] p, float[] t)
        {
            double sum = 0;
            for (int i = 0; i < Batch; i++)
                for (int j = 0; j < 2; j++) sum += Math.Pow(p[i * 5 + j] - (double)t[i * 3 + j], 2) / 2;
            return sum / Batch;
        }
    }

    [Fact]
    public void Sizes_Name_AndTargetWidth_ComeFromTheHeads()
    {
        var loss = CreateLoss(withFlag: true);

        Assert.Equal(6, loss.OutputSize);
        Assert.Equal(4, loss.TargetSize);
        Assert.Equal("loss", loss.Name);
        Assert.Equal(4, loss.TargetWidth(6));
        Assert.Equal(["price", "kind", "flag"], loss.Heads.Select(h => h.Name));
        var error = Assert.Throws<ArgumentException>(() => loss.TargetWidth(5));
        Assert.Equal("predictionWidth", error.ParamName);
        Assert.Contains("6", error.Message);
        Assert.Contains("got 5", error.Message);
    }

    [Fact]
    public void Heads_AreACopy_ThatTheCallersArrayCannotChange()
    {
        var heads = new[] { new OutputHead("a", new MeanSquaredError(), 1f, 0, 2, 0), new OutputHead("b", new MeanSquaredError(), 1f, 2, 1, 2) };
        var loss = new MultiOutputLoss(heads);

        heads[1] = new OutputHead("c", new MeanSquaredError(), 1f, 2, 7, 2);

        Assert.Equal("b", loss.Heads[1].Name);
        Assert.Equal(3, loss.OutputSize);
        Assert.False(loss.Heads is OutputHead[]);
    }

    [Fact]
    public void Constructor_RejectsHeadsThatDoNotTileTheRows()
    {
        var price = new OutputHead("price", new MeanSquaredError(), 1f, 0, 2, 0);

        AssertThrows<ArgumentException>(() => new MultiOutputLoss(), "heads", "at least one");
        AssertThrows<ArgumentNullException>(() => new MultiOutputLoss(null!), "heads");
        AssertThrows<ArgumentException>(() => new MultiOutputLoss(price, null!), "heads", "heads[1] is null");
        AssertThrows<ArgumentException>(() => new MultiOutputLoss(new OutputHead("price", new MeanSquaredError(), 1f, 1, 2, 0)),
            "heads", "heads[0]", "output offset 1", "expected 0");
        AssertThrows<ArgumentException>(() => new MultiOutputLoss(price, new OutputHead("kind", new SparseCategoricalCrossentropy(), 1f, 3, 3, 2)),
            "heads", "heads[1] (\"kind\")", "output offset 3", "expected 2");
        // A sparse head's target is one label, so the head after it starts one target column later, not three.
        var kind = new OutputHead("kind", new SparseCategoricalCrossentropy(), 1f, 2, 3, 2);
        AssertThrows<ArgumentException>(() => new MultiOutputLoss(price, kind, new OutputHead("size", new MeanSquaredError(), 1f, 5, 1, 5)),
            "heads", "heads[2] (\"size\")", "target offset 5", "expected 3");
        AssertThrows<ArgumentException>(() => new MultiOutputLoss(price, new OutputHead("price", new MeanSquaredError(), 1f, 2, 1, 2)),
            "heads", "heads[0] and heads[1]", "\"price\"");
    }

    [Fact]
    public void Compute_RejectsBuffersOfTheWrongLength_NamingTheArgument()
    {
        var loss = CreateLoss(withFlag: false);
        float[] pred = new float[2 * 5], target = new float[2 * 3];

        AssertThrows<ArgumentException>(() => loss.Compute(new float[9], target, [], 2, Span<float>.Empty), "yPred", "2 × 5 = 10", "got 9");
        AssertThrows<ArgumentException>(() => loss.Compute(pred, new float[10], [], 2, Span<float>.Empty), "yTrue", "2 × 3 = 6", "got 10");
        AssertThrows<ArgumentException>(() => loss.Compute(pred, target, [1f], 2, Span<float>.Empty), "sampleWeight", "(2)", "got 1");
        AssertThrows<ArgumentException>(() => loss.Compute(pred, target, [], 2, new float[9]), "gradient", "10", "got 9");
        AssertThrows<ArgumentOutOfRangeException>(() => loss.Compute(pred, target, [], 0, Span<float>.Empty), "batch");
    }

    [Fact]
    public void Compute_AllocatesNothingAfterWarmUp()
    {
        var (pred, target, weights) = Draw(Batch, withFlag: true, weighted: true, seed: 9);
        var loss = CreateLoss(withFlag: true);
        var gradient = new float[pred.Length];
        loss.Compute(pred, target, weights, Batch, gradient);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            loss.Compute(pred, target, weights, Batch, gradient);
            loss.Compute(pred, target, [], Batch, Span<float>.Empty);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    // ---------------------------------------------------------------- OutputHead

    [Fact]
    public void OutputHead_TargetWidthAndSparse_FollowItsLoss()
    {
        var sparse = new OutputHead("kind", new SparseCategoricalCrossentropy(fromLogits: true), 0.5f, 2, 3, 2);
        var dense = new OutputHead("price", new CategoricalCrossentropy(), 1f, 0, 3, 0);

        Assert.Equal(1, sparse.TargetWidth);
        Assert.True(sparse.Sparse);
        Assert.Equal(3, dense.TargetWidth);
        Assert.False(dense.Sparse);
        Assert.Equal(("kind", 0.5f, 2, 3, 2), (sparse.Name, sparse.Weight, sparse.OutputOffset, sparse.OutputWidth, sparse.TargetOffset));
    }

    [Fact]
    public void OutputHead_RejectsBadArguments_NamingThem()
    {
        var mse = new MeanSquaredError();
        AssertThrows<ArgumentNullException>(() => new OutputHead(null!, mse, 1f, 0, 1, 0), "name");
        AssertThrows<ArgumentException>(() => new OutputHead(" ", mse, 1f, 0, 1, 0), "name", "empty");
        AssertThrows<ArgumentNullException>(() => new OutputHead("a", null!, 1f, 0, 1, 0), "loss");
        AssertThrows<ArgumentException>(() => new OutputHead("a", CreateLoss(false), 1f, 0, 5, 0), "loss", "MultiOutputLoss");
        AssertThrows<ArgumentOutOfRangeException>(() => new OutputHead("a", mse, -1f, 0, 1, 0), "weight", "\"a\"", ">= 0", "-1");
        AssertThrows<ArgumentOutOfRangeException>(() => new OutputHead("a", mse, float.NaN, 0, 1, 0), "weight", "finite");
        AssertThrows<ArgumentOutOfRangeException>(() => new OutputHead("a", mse, float.PositiveInfinity, 0, 1, 0), "weight", "finite");
        AssertThrows<ArgumentOutOfRangeException>(() => new OutputHead("a", mse, 1f, -1, 1, 0), "outputOffset", "got -1");
        AssertThrows<ArgumentOutOfRangeException>(() => new OutputHead("a", mse, 1f, 0, 0, 0), "outputWidth", "at least 1", "got 0");
        AssertThrows<ArgumentOutOfRangeException>(() => new OutputHead("a", mse, 1f, 0, 1, -2), "targetOffset", "got -2");
    }

    // ---------------------------------------------------------------- CheckTargets

    [Fact]
    public void CheckTargets_ChecksEachSparseHeadsLabelColumn_NamingTheOutputRowRangeAndValue()
    {
        // Predictions [kind (3) | price (2) | tag (4)], targets [kind label | price (2) | tag label]: tag's label sits in
        // target column 3, its predictions from column 5.
        var loss = new MultiOutputLoss(
            new OutputHead("kind", new SparseCategoricalCrossentropy(), 1f, 0, 3, 0),
            new OutputHead("price", new MeanSquaredError(), 1f, 3, 2, 1),
            new OutputHead("tag", new SparseCategoricalCrossentropy(fromLogits: true), 1f, 5, 4, 3));
        float[] good = [2f, 9.5f, -3f, 3f, 0f, 100f, 7.25f, 0f];

        loss.CheckTargets(good, "y", "y"); // price is not a label: any value passes

        AssertThrows<ArgumentOutOfRangeException>(() => loss.CheckTargets([2f, 0f, 0f, 3f, 0f, 0f, 0f, 4f], "y", "y"),
            "y", "y[1] is 4", "output \"tag\"", "[0, 4)");
        AssertThrows<ArgumentOutOfRangeException>(() => loss.CheckTargets([2f, 0f, 0f, 3f, 3f, 0f, 0f, 1f], "y", "y"),
            "y", "y[1] is 3", "output \"kind\"", "[0, 3)");
        AssertThrows<ArgumentOutOfRangeException>(() => loss.CheckTargets([-1f, 0f, 0f, 0f], "yParam", "validationData.Y"),
            "yParam", "validationData.Y[0] is -1", "\"kind\"", "[0, 3)");
        AssertThrows<ArgumentOutOfRangeException>(() => loss.CheckTargets([0f, 0f, 0f, 1f, 0f, 0f, 0f, 1.5f], "y", "y"),
            "y", "y[1] is 1.5", "\"tag\"", "whole-number");
        AssertThrows<ArgumentException>(() => loss.CheckTargets(new float[7], "y", "y"), "y", "7", "TargetSize 4");
    }

    [Fact]
    public void CheckTargets_AcceptsTheIgnoredClassOfAHead()
    {
        var loss = new MultiOutputLoss(
            new OutputHead("price", new MeanSquaredError(), 1f, 0, 1, 0),
            new OutputHead("tag", new SparseCategoricalCrossentropy(ignoreClass: -1), 1f, 1, 4, 1));

        loss.CheckTargets([0f, -1f, 0f, 3f], "y", "y");

        AssertThrows<ArgumentOutOfRangeException>(() => loss.CheckTargets([0f, -2f], "y", "y"), "y", "y[0] is -2", "\"tag\"", "[0, 4) or the ignored class -1");
    }

    // ---------------------------------------------------------------- Per-output metrics

    // Rows [kind (3) | price (2)], targets [kind label | price (2)], so price's output and target offsets differ;
    // kind's rows are probabilities.
    private static readonly float[] Batch1Pred = [0.2f, 0.5f, 0.3f, 1, 2, 0.6f, 0.3f, 0.1f, 0, -1];
    private static readonly float[] Batch1True = [1, 1.5f, 2, 2, 1, -1];
    private static readonly float[] Batch1Weights = [1, 3];
    private static readonly float[] Batch2Pred = [0.1f, 0.1f, 0.8f, 3, 3];
    private static readonly float[] Batch2True = [2, 2, 5];
    private static readonly float[] Batch2Weights = [2];

    private static (OutputHead Price, OutputHead Kind) MetricHeads() =>
        (new OutputHead("price", new MeanSquaredError(), 2f, 3, 2, 1), new OutputHead("kind", new SparseCategoricalCrossentropy(), 0.5f, 0, 3, 0));

    private static void UpdateBothBatches(Metric metric)
    {
        metric.Update(Batch1Pred, Batch1True, Batch1Weights, 2);
        metric.Update(Batch2Pred, Batch2True, Batch2Weights, 1);
    }

    [Fact]
    public void OutputMetric_ComputesTheInnerMetricOnTheOutputsColumns_OverTwoBatches()
    {
        var (price, kind) = MetricHeads();
        var mae = new OutputMetric(price, new MeanAbsoluteErrorMetric());
        var accuracy = new OutputMetric(kind, new SparseCategoricalAccuracyMetric());

        UpdateBothBatches(mae);
        UpdateBothBatches(accuracy);

        // MAE per sample: (|1.5 − 1| + 0)/2 = 0.25 (w 1), (1 + 0)/2 = 0.5 (w 3), (1 + 2)/2 = 1.5 (w 2): (0.25 + 1.5 + 3)/6.
        Assert.Equal(4.75 / 6, mae.Result(), 1e-6);
        // argmax 1 = label 1 (w 1), argmax 0 ≠ label 2 (w 3), argmax 2 = label 2 (w 2): (1 + 0 + 2)/6.
        Assert.Equal(0.5, accuracy.Result(), 1e-6);
        mae.Reset();
        Assert.Equal(0f, mae.Result());
        Assert.Equal(0f, mae.Inner.Result());
        mae.Update(Batch2Pred, Batch2True, Batch2Weights, 1);
        Assert.Equal(1.5, mae.Result(), 1e-6);
    }

    [Fact]
    public void OutputLossMetric_TracksTheOutputsUnweightedLoss_AveragedByBatchSize()
    {
        var (price, kind) = MetricHeads();
        var priceLoss = new OutputLossMetric(price);
        var kindLoss = new OutputLossMetric(kind);

        Assert.Equal(0f, priceLoss.Result());
        UpdateBothBatches(priceLoss);
        UpdateBothBatches(kindLoss);

        // price (MSE, sum over batch size; the head weight 2 is not applied): batch 1 (0.125·1 + 0.5·3)/2 = 0.8125,
        // batch 2 (1 + 4)/2·2 = 5; the tracker weighs them by batch size: (0.8125·2 + 5·1)/3.
        Assert.Equal((0.8125 * 2 + 5) / 3, priceLoss.Result(), 1e-6);
        // kind (SCCE): batch 1 (−ln 0.5·1 − ln 0.1·3)/2, batch 2 −ln 0.8·2.
        double batch1 = (-Math.Log(0.5) - 3 * Math.Log(0.1)) / 2, batch2 = -Math.Log(0.8) * 2;
        Assert.Equal((batch1 * 2 + batch2) / 3, kindLoss.Result(), 1e-6);
        priceLoss.Reset();
        Assert.Equal(0f, priceLoss.Result());
        priceLoss.Update(Batch2Pred, Batch2True, Batch2Weights, 1);
        Assert.Equal(5.0, priceLoss.Result(), 1e-6);
    }

    [Fact]
    public void PerOutputMetrics_HaveKerasPrefixedNames()
    {
        var (price, kind) = MetricHeads();
        var inner = new MeanAbsoluteErrorMetric();
        var mae = new OutputMetric(price, inner);

        Assert.Equal("price_mean_absolute_error", mae.Name);
        Assert.Equal("kind_sparse_categorical_accuracy", new OutputMetric(kind, new SparseCategoricalAccuracyMetric()).Name);
        Assert.Equal("price_loss", new OutputLossMetric(price).Name);
        Assert.Equal("kind_loss", new OutputLossMetric(kind).Name);
        Assert.Same(inner, mae.Inner);
        Assert.Same(price, mae.Head);
        Assert.Same(kind, new OutputLossMetric(kind).Head);
    }

    [Fact]
    public void PerOutputMetrics_RejectRowsThatDoNotHoldTheOutput()
    {
        var (price, kind) = MetricHeads();
        var mae = new OutputMetric(price, new MeanAbsoluteErrorMetric());
        var loss = new OutputLossMetric(price);

        AssertThrows<ArgumentException>(() => mae.Update(new float[9], new float[6], [], 2), "yPred", "\"price\"", "[3, 5)", "got 9");
        AssertThrows<ArgumentException>(() => mae.Update(new float[8], new float[6], [], 2), "yPred", "at least 5", "got 8");
        AssertThrows<ArgumentException>(() => loss.Update(new float[10], new float[4], [], 2), "yTrue", "at least 3", "[1, 3)", "got 4");
        AssertThrows<ArgumentOutOfRangeException>(() => loss.Update(new float[10], new float[6], [], 0), "batch");
        AssertThrows<ArgumentNullException>(() => new OutputMetric(kind, null!), "inner");
        AssertThrows<ArgumentNullException>(() => new OutputLossMetric(null!), "head");
    }

    [Fact]
    public void PerOutputMetrics_AllocateNothingAfterWarmUp()
    {
        var (price, kind) = MetricHeads();
        Metric[] metrics = [new OutputMetric(price, new MeanAbsoluteErrorMetric()), new OutputMetric(kind, new SparseCategoricalAccuracyMetric()),
            new OutputLossMetric(price), new OutputLossMetric(kind)];
        foreach (var m in metrics) m.Update(Batch1Pred, Batch1True, Batch1Weights, 2);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            foreach (var m in metrics)
            {
                m.Update(Batch1Pred, Batch1True, Batch1Weights, 2);
                m.Update(Batch2Pred, Batch2True, [], 1);
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    // ---------------------------------------------------------------- Columns

    [Fact]
    public void Gather_CopiesTheColumnBlockOfEachRow()
    {
        float[] source = [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]; // (3, 4)
        var destination = Filled(6, float.NaN);

        Columns.Gather(source, 3, 4, 1, 2, destination);

        Assert.Equal([1, 2, 11, 12, 21, 22], destination);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.5f)]
    [InlineData(-2f)]
    public void Scatter_WritesScaledValuesIntoTheColumnBlock_AndLeavesTheOtherColumns(float scale)
    {
        float[] source = [1, 2, 3, 4, 5, 6]; // (3, 2)
        var destination = Filled(12, 99f);  // (3, 4)

        Columns.Scatter(source, 3, 2, destination, 4, 2, scale);

        float s = scale;
        Assert.Equal([99, 99, s * 1, s * 2, 99, 99, s * 3, s * 4, 99, 99, s * 5, s * 6], destination);
    }

    [Fact]
    public void Split_ReturnsANewArrayOfTheColumns()
    {
        var source = new float[,] { { 0, 1, 2 }, { 10, 11, 12 } };

        var split = Columns.Split(source, 1, 2);

        Assert.Equal(new float[,] { { 1, 2 }, { 11, 12 } }, split);
        split[0, 0] = -1;
        Assert.Equal(1, source[0, 1]);
        Assert.Equal(new float[,] { { 0 }, { 10 } }, Columns.Split(source, 0, 1));
    }

    [Fact]
    public void Columns_RejectBlocksOutsideTheRowOrShortBuffers_NamingTheArgument()
    {
        var source = new float[12];
        AssertThrows<ArgumentException>(() => Columns.Gather(source, 3, 4, 3, 2, new float[6]), "width", "[3, 5)", "4 columns");
        AssertThrows<ArgumentOutOfRangeException>(() => Columns.Gather(source, 3, 4, -1, 2, new float[6]), "offset", "got -1");
        AssertThrows<ArgumentOutOfRangeException>(() => Columns.Gather(source, 3, 4, 0, 0, new float[6]), "width", "got 0");
        AssertThrows<ArgumentOutOfRangeException>(() => Columns.Gather(source, -1, 4, 0, 1, new float[6]), "rows");
        AssertThrows<ArgumentException>(() => Columns.Gather(new float[11], 3, 4, 0, 2, new float[6]), "source", "12", "got 11");
        AssertThrows<ArgumentException>(() => Columns.Gather(source, 3, 4, 0, 2, new float[5]), "destination", "6", "got 5");
        AssertThrows<ArgumentException>(() => Columns.Scatter(new float[6], 3, 2, source, 4, 3), "width", "[3, 5)");
        AssertThrows<ArgumentException>(() => Columns.Scatter(new float[5], 3, 2, source, 4, 0), "source", "6", "got 5");
        AssertThrows<ArgumentException>(() => Columns.Scatter(new float[6], 3, 2, new float[11], 4, 0), "destination", "12", "got 11");
        AssertThrows<ArgumentNullException>(() => Columns.Split(null!, 0, 1), "source");
        AssertThrows<ArgumentException>(() => Columns.Split(new float[2, 3], 2, 2), "width", "[2, 4)");
    }

    // ---------------------------------------------------------------- Features.Join

    [Fact]
    public void FeaturesJoin_PutsTheInputsSideBySide_AndNamesABadOne()
    {
        Features text = new float[,] { { 1, 2 }, { 3, 4 } };
        Features meta = new float[][] { [5, 6, 7], [8, 9, 10] };

        var flat = Features.Join([text, meta], [2, 3], ["x.Text", "x.Meta"]).Flatten(5, "x", out int rows);
        Assert.Equal(2, rows);
        Assert.Equal([1, 2, 5, 6, 7, 3, 4, 8, 9, 10], flat);

        AssertThrows<ArgumentException>(() => Features.Join([text, meta], [2, 2], ["x.Text", "x.Meta"]), "x.Meta", "has 3 values", "expected 2");
        Features short_ = new float[,] { { 1, 2, 3 } };
        AssertThrows<ArgumentException>(() => Features.Join([text, short_], [2, 3], ["x.Text", "x.Meta"]), "x.Meta", "1 samples", "expected 2");
    }

    // ---------------------------------------------------------------- Targets.Join

    [Fact]
    public void Join_PutsEveryAcceptedShapeSideBySide()
    {
        Targets[] parts =
        [
            new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } },
            new[] { 2, 0, 1 },
            new float[][] { [7], [8], [9] },
            Tensor.Create(new float[] { 10, 11, 12, 13, 14, 15 }, [3, 2]),
            new float[] { -1, -2, -3 },
        ];

        var joined = Targets.Join(parts, [2, 1, 1, 2, 1], ["y.A", "y.B", "y.C", "y.D", "y.E"]);

        var flat = joined.Flatten(7, "y", out int rows);
        Assert.Equal(3, rows);
        Assert.Equal([1, 2, 2, 7, 10, 11, -1, 3, 4, 0, 8, 12, 13, -2, 5, 6, 1, 9, 14, 15, -3], flat);
    }

    [Fact]
    public void Join_RejectsPartsWithDifferentSampleCounts_NamingBoth()
    {
        Targets[] parts = [new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, new[] { 2, 0 }];

        AssertThrows<ArgumentException>(() => Targets.Join(parts, [2, 1], ["y.Price", "y.Kind"]), "y.Kind", "y.Kind has 2 samples", "expected 3", "y.Price");
    }

    [Fact]
    public void Join_RejectsAMissingPart_NamingIt()
    {
        Targets[] parts = [new float[] { 1, 2 }, default];

        AssertThrows<ArgumentNullException>(() => Targets.Join(parts, [1, 1], ["y.Price", "y.Kind"]), "y.Kind", "y.Kind is null");
    }

    [Fact]
    public void Join_RejectsABadPartOrMismatchedSpans_NamingThem()
    {
        Targets price = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        Targets withNaN = new float[,] { { 1, 2 }, { float.NaN, 4 } };

        AssertThrows<ArgumentException>(() => Targets.Join([price], [2], ["y.Price"]), "y.Price", "y.Price has 3 values per sample", "expected 2");
        AssertThrows<ArgumentException>(() => Targets.Join([withNaN], [2], ["y.Price"]), "y.Price", "NaN", "sample 1, feature 0");
        AssertThrows<ArgumentException>(() => Targets.Join([price], [3, 1], ["y.Price"]), "widths", "one width per part (1)", "got 2");
        AssertThrows<ArgumentException>(() => Targets.Join([price], [3], []), "names", "got 0");
        AssertThrows<ArgumentException>(() => Targets.Join([], [], []), "parts", "at least one");
        AssertThrows<ArgumentOutOfRangeException>(() => Targets.Join([price, price], [3, 0], ["a", "b"]), "widths", "b", "got 0");
    }

    // ---------------------------------------------------------------- Helpers

    private static void AssertThrows<T>(Func<object?> action, string paramName, params string[] inMessage) where T : ArgumentException
    {
        var e = Assert.Throws<T>(action);
        Assert.Equal(paramName, e.ParamName);
        foreach (var s in inMessage) Assert.Contains(s, e.Message);
    }

    private static void AssertThrows<T>(Action action, string paramName, params string[] inMessage) where T : ArgumentException
    {
        var e = Assert.Throws<T>(action);
        Assert.Equal(paramName, e.ParamName);
        foreach (var s in inMessage) Assert.Contains(s, e.Message);
    }

    private static T[] Filled<T>(int length, T value)
    {
        var values = new T[length];
        Array.Fill(values, value);
        return values;
    }

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
