namespace Gen.Runtime.Tests;

public sealed class MetricTests
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(typeof(MeanAbsoluteErrorMetric), "mean_absolute_error")]
    [InlineData(typeof(MeanSquaredErrorMetric), "mean_squared_error")]
    [InlineData(typeof(RootMeanSquaredErrorMetric), "root_mean_squared_error")]
    [InlineData(typeof(AccuracyMetric), "accuracy")]
    [InlineData(typeof(BinaryAccuracyMetric), "binary_accuracy")]
    [InlineData(typeof(CategoricalAccuracyMetric), "categorical_accuracy")]
    [InlineData(typeof(SparseCategoricalAccuracyMetric), "sparse_categorical_accuracy")]
    public void Metric_HasKerasName(Type type, string expected)
    {
        var metric = Create(type);
        Assert.Equal(expected, metric.Name);
    }

    [Fact]
    public void WeightedMeanAbsoluteError_DividesBySumOfWeights_NotBatchSize()
    {
        // Per-sample MAE 0.5, 0.5, 0.6, 0.5 with weights 1, 2, 3, 1: Σ(l·w) = 3.8, Σw = 7.
        // The metric is 3.8 / 7 = 0.542857; the loss (sum over batch size) would be 3.8 / 4 = 0.95.
        float[] yPred = [0.5f, 0.5f, 1f, 0f, 0.2f, 1f, 0f, 1f];
        float[] yTrue = new float[8];
        float[] weights = [1f, 2f, 3f, 1f];
        var metric = new MeanAbsoluteErrorMetric();

        metric.Update(yPred, yTrue, weights, batch: 4);

        Assert.Equal(3.8 / 7, metric.Result(), Tolerance);
        Assert.Equal(0.542857, metric.Result(), 1e-6);
    }

    [Fact]
    public void MeanAbsoluteError_WithoutWeights_IsMeanOverAllSamples()
    {
        float[] yTrue = [0f, 1f, 0f, 0f];
        float[] yPred = [1f, 1f, 0f, 0f];
        var metric = new MeanAbsoluteErrorMetric();

        metric.Update(yPred, yTrue, [], batch: 2);

        Assert.Equal(0.25, metric.Result(), Tolerance);
    }

    [Fact]
    public void MeanAbsoluteError_ZeroWeightRemovesSampleFromMean()
    {
        // Keras docstring example: sample weights [1, 0] keep only the first sample, whose MAE is 0.5.
        float[] yTrue = [0f, 1f, 0f, 0f];
        float[] yPred = [1f, 1f, 0f, 0f];
        var metric = new MeanAbsoluteErrorMetric();

        metric.Update(yPred, yTrue, [1f, 0f], batch: 2);

        Assert.Equal(0.5, metric.Result(), Tolerance);
    }

    [Fact]
    public void WeightedMeanSquaredError_IsWeightedMeanOfPerSampleMeans()
    {
        // Per-sample MSE: mean(1, 1) = 1 and mean(4, 4) = 4; weights 0.25 and 0.75 give 0.25 + 3 = 3.25, Σw = 1.
        float[] yPred = [1f, 1f, 2f, -2f];
        float[] yTrue = new float[4];
        var metric = new MeanSquaredErrorMetric();

        metric.Update(yPred, yTrue, [0.25f, 0.75f], batch: 2);

        Assert.Equal(3.25, metric.Result(), Tolerance);
    }

    [Fact]
    public void RootMeanSquaredError_IsRootOfWeightedMean()
    {
        float[] yPred = [1f, 1f, 2f, -2f];
        float[] yTrue = new float[4];
        var metric = new RootMeanSquaredErrorMetric();

        metric.Update(yPred, yTrue, [0.25f, 0.75f], batch: 2);

        Assert.Equal(Math.Sqrt(3.25), metric.Result(), Tolerance);
    }

    [Fact]
    public void RootMeanSquaredError_AcrossBatches_IsRootOfPooledMean_NotMeanOfRoots()
    {
        // Batch 1 has MSE 1, batch 2 has MSE 4: √((1 + 4) / 2) = 1.5811, where the mean of roots would be 1.5.
        var metric = new RootMeanSquaredErrorMetric();

        metric.Update([1f], [0f], [], batch: 1);
        metric.Update([2f], [0f], [], batch: 1);

        Assert.Equal(Math.Sqrt(2.5), metric.Result(), Tolerance);
    }

    [Fact]
    public void Accuracy_CountsExactElementwiseEquality_AveragedPerSampleThenWeighted()
    {
        // Sample 0 matches 2 of 3 (3.0001 ≠ 3), sample 1 matches 3 of 3; weights 2 and 1: (2·2/3 + 1) / 3.
        float[] yTrue = [1f, 2f, 3f, 0f, 0f, 1f];
        float[] yPred = [1f, 2f, 3.0001f, 0f, 0f, 1f];
        var metric = new AccuracyMetric();

        metric.Update(yPred, yTrue, [2f, 1f], batch: 2);

        Assert.Equal((2.0 * 2 / 3 + 1) / 3, metric.Result(), Tolerance);
    }

    [Fact]
    public void BinaryAccuracy_PredictionEqualToThreshold_CountsAsNegative()
    {
        // (ŷ > 0.5) is strict: 0.5 predicts 0, so it is right for label 0 and wrong for label 1: 3 of 4 right.
        // With ≥ it would be 2 of 4.
        float[] yPred = [0.5f, 0.5f, 0.5f, 0.51f];
        float[] yTrue = [0f, 0f, 1f, 1f];
        var metric = new BinaryAccuracyMetric();

        metric.Update(yPred, yTrue, [], batch: 4);

        Assert.Equal(0.75, metric.Result(), Tolerance);
    }

    [Fact]
    public void BinaryAccuracy_UsesGivenThreshold()
    {
        float[] yPred = [0.6f, 0.7f, 0.71f, 0.6f];
        float[] yTrue = [1f, 1f, 1f, 0f];
        var metric = new BinaryAccuracyMetric(threshold: 0.7f);

        metric.Update(yPred, yTrue, [], batch: 2);

        // Sample 0: 0.6 → 0 (wrong), 0.7 → 0 (wrong): 0. Sample 1: 0.71 → 1 (right), 0.6 → 0 (right): 1.
        Assert.Equal(0.5, metric.Result(), Tolerance);
        Assert.Equal(0.7f, metric.Threshold);
    }

    [Fact]
    public void BinaryAccuracy_NonBinaryLabel_NeverMatches()
    {
        var metric = new BinaryAccuracyMetric();

        metric.Update([0.9f, 0.1f], [0.9f, 0.1f], [], batch: 2);

        Assert.Equal(0.0, metric.Result(), Tolerance);
    }

    [Fact]
    public void CategoricalAccuracy_ComparesArgmax_WithTiesGoingToFirstIndex()
    {
        // Sample 0 ties between classes 0 and 1, so its argmax is 0 (right); sample 1 is right, sample 2 wrong: 2/3.
        // Ties going to the last index would give 1/3.
        float[] yPred = [0.4f, 0.4f, 0.2f, 0.1f, 0.3f, 0.6f, 0.5f, 0.3f, 0.2f];
        float[] yTrue = [1f, 0f, 0f, 0f, 0f, 1f, 0f, 1f, 0f];
        var metric = new CategoricalAccuracyMetric();

        metric.Update(yPred, yTrue, [], batch: 3);

        Assert.Equal(2.0 / 3, metric.Result(), Tolerance);
    }

    [Fact]
    public void CategoricalAccuracy_TiedTargets_AlsoResolveToFirstIndex()
    {
        // Sample 0's target ties between 0 and 1, so its argmax is 0 while the prediction's is 1 (wrong); sample 1 is right.
        var metric = new CategoricalAccuracyMetric();

        metric.Update([0.2f, 0.7f, 0.1f, 0.1f, 0.2f, 0.7f], [0.5f, 0.5f, 0f, 0f, 0f, 1f], [], batch: 2);

        Assert.Equal(0.5, metric.Result(), Tolerance);
    }

    [Fact]
    public void SparseCategoricalAccuracy_ComparesArgmaxWithLabel_Weighted()
    {
        // argmax: 1 (label 1, right), 0 by the tie rule (label 1, wrong), 2 (label 2, right); weights 1, 3, 1.
        float[] yPred = [0.1f, 0.6f, 0.3f, 0.5f, 0.5f, 0f, 0.2f, 0.2f, 0.6f];
        float[] yTrue = [1f, 1f, 2f];
        var metric = new SparseCategoricalAccuracyMetric();

        metric.Update(yPred, yTrue, [1f, 3f, 1f], batch: 3);

        Assert.Equal(2.0 / 5, metric.Result(), Tolerance);
    }

    [Fact]
    public void SparseCategoricalAccuracy_RejectsOneHotTargets()
    {
        var metric = new SparseCategoricalAccuracyMetric();

        var error = Assert.Throws<ArgumentException>(() => metric.Update([0.1f, 0.9f, 0.8f, 0.2f], [0f, 1f, 1f, 0f], [], batch: 2));

        Assert.Equal("yTrue", error.ParamName);
    }

    public static TheoryData<Type> AllMetrics =>
    [
        typeof(MeanAbsoluteErrorMetric), typeof(MeanSquaredErrorMetric), typeof(RootMeanSquaredErrorMetric),
        typeof(AccuracyMetric), typeof(BinaryAccuracyMetric), typeof(CategoricalAccuracyMetric), typeof(SparseCategoricalAccuracyMetric),
    ];

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Metric_AccumulatedOverBatches_EqualsOneBigBatch(Type type)
    {
        const int Batch = 23, Width = 4;
        var (yPred, yTrue, weights) = RandomBatch(type, Batch, Width, seed: 7);
        int targetWidth = yTrue.Length / Batch;
        var whole = Create(type);
        var pieces = Create(type);

        whole.Update(yPred, yTrue, weights, Batch);
        foreach (var (start, count) in new[] { (0, 5), (5, 1), (6, 10), (16, 7) })
        {
            pieces.Update(
                yPred.AsSpan(start * Width, count * Width), yTrue.AsSpan(start * targetWidth, count * targetWidth),
                weights.AsSpan(start, count), count);
        }

        Assert.Equal(whole.Result(), pieces.Result(), Tolerance);
        Assert.NotEqual(0f, whole.Result());
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Metric_AfterReset_ForgetsEarlierBatches(Type type)
    {
        const int Batch = 9, Width = 3;
        var (firstPred, firstTrue, firstWeights) = RandomBatch(type, Batch, Width, seed: 1);
        var (secondPred, secondTrue, secondWeights) = RandomBatch(type, Batch, Width, seed: 2);
        var fresh = Create(type);
        fresh.Update(secondPred, secondTrue, secondWeights, Batch);
        var reused = Create(type);
        reused.Update(firstPred, firstTrue, firstWeights, Batch);
        float beforeReset = reused.Result();

        reused.Reset();
        float afterReset = reused.Result();
        reused.Update(secondPred, secondTrue, secondWeights, Batch);

        Assert.Equal(0f, afterReset);
        Assert.Equal(fresh.Result(), reused.Result(), Tolerance);
        Assert.NotEqual(beforeReset, reused.Result());
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Metric_WithAllWeightsZero_IsZeroNotNaN(Type type)
    {
        var (yPred, yTrue, _) = RandomBatch(type, 4, 3, seed: 3);
        var metric = Create(type);

        metric.Update(yPred, yTrue, new float[4], batch: 4);

        Assert.Equal(0f, metric.Result());
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Metric_BeforeAnyUpdate_IsZero(Type type)
    {
        Assert.Equal(0f, Create(type).Result());
    }

    [Fact]
    public void Update_RejectsWrongWeightCount_NamingTheParameter()
    {
        var metric = new MeanSquaredErrorMetric();

        var error = Assert.Throws<ArgumentException>(() => metric.Update([1f, 2f], [1f, 2f], [1f], batch: 2));

        Assert.Equal("sampleWeight", error.ParamName);
    }

    [Fact]
    public void Update_RejectsPredictionsNotDivisibleByBatch_NamingTheParameter()
    {
        var metric = new MeanSquaredErrorMetric();

        var error = Assert.Throws<ArgumentException>(() => metric.Update([1f, 2f, 3f], [1f, 2f, 3f], [], batch: 2));

        Assert.Equal("yPred", error.ParamName);
    }

    [Fact]
    public void Update_RejectsNonPositiveBatch_NamingTheParameter()
    {
        var metric = new AccuracyMetric();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => metric.Update([], [], [], batch: 0));

        Assert.Equal("batch", error.ParamName);
    }

    [Fact]
    public void Update_DoesNotAllocate()
    {
        var (yPred, yTrue, weights) = RandomBatch(typeof(CategoricalAccuracyMetric), 16, 5, seed: 4);
        var metric = new CategoricalAccuracyMetric();
        metric.Update(yPred, yTrue, weights, 16);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) metric.Update(yPred, yTrue, weights, 16);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static Metric Create(Type type) => type.Name switch
    {
        nameof(MeanAbsoluteErrorMetric) => new MeanAbsoluteErrorMetric(),
        nameof(MeanSquaredErrorMetric) => new MeanSquaredErrorMetric(),
        nameof(RootMeanSquaredErrorMetric) => new RootMeanSquaredErrorMetric(),
        nameof(AccuracyMetric) => new AccuracyMetric(),
        nameof(BinaryAccuracyMetric) => new BinaryAccuracyMetric(),
        nameof(CategoricalAccuracyMetric) => new CategoricalAccuracyMetric(),
        nameof(SparseCategoricalAccuracyMetric) => new SparseCategoricalAccuracyMetric(),
        _ => throw new ArgumentException($"No factory for {type}.", nameof(type)),
    };

    /// <summary>Random predictions, targets of the kind the metric expects (labels, one-hot, 0/1, or some exact hits), and weights.</summary>
    private static (float[] YPred, float[] YTrue, float[] Weights) RandomBatch(Type type, int batch, int width, int seed)
    {
        var random = new Random(seed);
        var yPred = new float[batch * width];
        for (int i = 0; i < yPred.Length; i++) yPred[i] = (float)random.NextDouble();
        var weights = new float[batch];
        for (int i = 0; i < batch; i++) weights[i] = (float)(random.NextDouble() * 2);

        float[] yTrue;
        if (type == typeof(SparseCategoricalAccuracyMetric))
        {
            yTrue = new float[batch];
            for (int i = 0; i < batch; i++) yTrue[i] = random.Next(width);
        }
        else if (type == typeof(CategoricalAccuracyMetric))
        {
            yTrue = new float[batch * width];
            for (int i = 0; i < batch; i++) yTrue[i * width + random.Next(width)] = 1f;
        }
        else if (type == typeof(BinaryAccuracyMetric))
        {
            yTrue = new float[batch * width];
            for (int i = 0; i < yTrue.Length; i++) yTrue[i] = random.Next(2);
        }
        else
        {
            yTrue = new float[batch * width];
            for (int i = 0; i < yTrue.Length; i++) yTrue[i] = random.Next(3) == 0 ? yPred[i] : (float)random.NextDouble();
        }
        return (yPred, yTrue, weights);
    }
}
