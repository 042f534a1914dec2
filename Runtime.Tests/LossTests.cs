namespace Gen.Runtime.Tests;

/// <summary>Keras reference values, the reductions' edge cases, masking, and the validation of options and labels.</summary>
public sealed class LossTests
{
    // Keras's docstring example: y_true [[0, 1], [0, 0]], y_pred [[1, 1], [1, 0]]; per-sample MSE 0.5 and 0.5.
    private static readonly float[] DocPred = [1f, 1f, 1f, 0f];
    private static readonly float[] DocTrue = [0f, 1f, 0f, 0f];

    [Fact]
    public void NamesAreKerasNames()
    {
        Assert.Equal("mean_squared_error", new MeanSquaredError().Name);
        Assert.Equal("mean_absolute_error", new MeanAbsoluteError().Name);
        Assert.Equal("huber_loss", new Huber().Name);
        Assert.Equal("binary_crossentropy", new BinaryCrossentropy().Name);
        Assert.Equal("categorical_crossentropy", new CategoricalCrossentropy().Name);
        Assert.Equal("sparse_categorical_crossentropy", new SparseCategoricalCrossentropy().Name);
    }

    [Fact]
    public void DefaultReductionIsSumOverBatchSize()
        => Assert.Equal(Reduction.SumOverBatchSize, new MeanSquaredError().Reduction);

    [Fact]
    public void MeanSquaredErrorMatchesKerasDocExampleWithWeights()
    {
        // Keras: mse(y_true, y_pred, sample_weight=[0.7, 0.3]) = (0.7·0.5 + 0.3·0.5) / 2 = 0.25.
        Assert.Equal(0.5f, new MeanSquaredError().Compute(DocPred, DocTrue, [], 2, []), 6);
        Assert.Equal(0.25f, new MeanSquaredError().Compute(DocPred, DocTrue, [0.7f, 0.3f], 2, []), 6);
    }

    [Fact]
    public void MeanAbsoluteErrorMatchesKerasDocExample()
        => Assert.Equal(0.5f, new MeanAbsoluteError().Compute(DocPred, DocTrue, [], 2, []), 6);

    [Fact]
    public void SumOverBatchSizeDividesByTheNumberOfSamplesNotTheSumOfWeights()
    {
        // Weights [[1.2], [3.4]] on per-sample losses 0.5 and 0.5: Σ l·w = 2.3; / 2 samples, not / 4.6.
        var loss = new MeanSquaredError();
        Assert.Equal(1.15f, loss.Compute(DocPred, DocTrue, [1.2f, 3.4f], 2, []), 5);
    }

    [Fact]
    public void MeanWithSampleWeightDividesByTheSumOfWeights()
        => Assert.Equal(0.5f, new MeanSquaredError { Reduction = Reduction.MeanWithSampleWeight }.Compute(DocPred, DocTrue, [1.2f, 3.4f], 2, []), 5);

    [Fact]
    public void SumReductionDoesNotDivide()
        => Assert.Equal(2.3f, new MeanSquaredError { Reduction = Reduction.Sum }.Compute(DocPred, DocTrue, [1.2f, 3.4f], 2, []), 5);

    [Fact]
    public void SumOverBatchSizeScalesTheGradientByWeightOverBatch()
    {
        // d/dŷ of MSE per sample is 2(ŷ − y)/2 = (ŷ − y); times w_i / 2.
        var gradient = new float[4];
        new MeanSquaredError().Compute(DocPred, DocTrue, [1.2f, 3.4f], 2, gradient);
        Assert.Equal([0.6f, 0f, 1.7f, 0f], gradient);
    }

    [Theory]
    [InlineData(Reduction.SumOverBatchSize)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.MeanWithSampleWeight)]
    public void ZeroWeightsGiveZeroLossAndGradientWithoutNaN(Reduction reduction)
    {
        var gradient = new float[4];
        gradient.AsSpan().Fill(float.NaN);
        float value = new MeanSquaredError { Reduction = reduction }.Compute(DocPred, DocTrue, [0f, 0f], 2, gradient);
        Assert.Equal(0f, value);
        Assert.All(gradient, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void HuberMatchesKerasDocExample()
    {
        // e = 0.6, −0.6 | 0.4, 0.6 → 0.18, 0.18 | 0.08, 0.18 → rows 0.18, 0.13 → 0.155.
        float value = new Huber().Compute([0.6f, 0.4f, 0.4f, 0.6f], [0f, 1f, 0f, 0f], [], 2, []);
        Assert.Equal(0.155f, value, 6);
    }

    [Fact]
    public void HuberIsLinearBeyondDelta()
    {
        // e = 3, δ = 2: δ|e| − 0.5δ² = 6 − 2 = 4 (the quadratic would give 4.5); gradient δ = 2.
        var gradient = new float[1];
        float value = new Huber(2f).Compute([3f], [0f], [], 1, gradient);
        Assert.Equal(4f, value, 6);
        Assert.Equal(2f, gradient[0], 6);
    }

    [Fact]
    public void MeanAbsoluteErrorGradientIsZeroWhereTheErrorIsZero()
    {
        var gradient = new float[3];
        new MeanAbsoluteError().Compute([1f, 2f, 3f], [1f, 1f, 4f], [], 1, gradient);
        Assert.Equal([0f, 1f / 3, -1f / 3], gradient);
    }

    [Fact]
    public void BinaryCrossentropyClipsInFloat32()
    {
        // 1 − 1e-7 is 0.99999988f, so 1 − p' = 1.1920929e-7 and −log of it is 15.942385 (not 16.118 as in float64).
        Assert.Equal(15.942385f, new BinaryCrossentropy().Compute([1f], [0f], [], 1, []), 5);
        // The lower clip is 1e-7f itself: −log(1e-7f) = 16.118095.
        Assert.Equal(16.118095f, new BinaryCrossentropy().Compute([0f], [1f], [], 1, []), 5);
    }

    [Fact]
    public void BinaryCrossentropyGradientIsZeroWhereTheClipIsActive()
    {
        var gradient = new float[3];
        new BinaryCrossentropy().Compute([1f, 0f, 0.5f], [0f, 1f, 1f], [], 1, gradient);
        Assert.Equal(0f, gradient[0]);
        Assert.Equal(0f, gradient[1]);
        Assert.Equal(-2f / 3, gradient[2], 6); // −y/p / width
    }

    [Fact]
    public void BinaryCrossentropyMatchesKerasDocExamples()
    {
        // Probabilities: rows (−ln 0.4 − ln 0.4)/2 and (−ln 0.6 − ln 0.4)/2, mean 0.81492.
        float probabilities = new BinaryCrossentropy().Compute([0.6f, 0.4f, 0.4f, 0.6f], [0f, 1f, 0f, 0f], [], 2, []);
        Assert.Equal((-2 * Math.Log(0.4) - Math.Log(0.6) - Math.Log(0.4)) / 4, probabilities, 5);
        // Logits: y_true [0, 1, 0, 0], y_pred [−18.6, 0.51, 2.94, −12.8] gives 0.865 in Keras's docs.
        float logits = new BinaryCrossentropy(fromLogits: true).Compute([-18.6f, 0.51f, 2.94f, -12.8f], [0f, 1f, 0f, 0f], [], 1, []);
        Assert.Equal(0.865f, logits, 3);
    }

    [Fact]
    public void BinaryCrossentropyLogitsIsStableForLargeLogits()
    {
        // x = 100, y = 0 costs 100; x = −100, y = 0 costs log(1 + e^−100) ≈ 3.7e-44 (no overflow, no NaN).
        Assert.Equal(100f, new BinaryCrossentropy(fromLogits: true).Compute([100f], [0f], [], 1, []), 4);
        Assert.Equal(0f, new BinaryCrossentropy(fromLogits: true).Compute([-100f], [0f], [], 1, []), 6);
    }

    [Fact]
    public void BinaryCrossentropySmoothsTowardOneHalf()
    {
        // ls = 1 turns every target into 0.5: p = 0.5 costs ln 2 whatever the label.
        float value = new BinaryCrossentropy(labelSmoothing: 1f).Compute([0.5f, 0.5f], [0f, 1f], [], 1, []);
        Assert.Equal(Math.Log(2), value, 6);
    }

    [Fact]
    public void CategoricalCrossentropyRenormalisesEachRow()
    {
        // Keras's CategoricalCrossentropy unweighted test: the middle row sums to 1.99, so its probability for
        // the true class is 0.89 / 1.99, not 0.89. Rows: −ln 0.9, −ln(0.89/1.99), −ln 0.94; mean 0.3239.
        float[] pred = [0.9f, 0.05f, 0.05f, 0.5f, 0.89f, 0.6f, 0.05f, 0.01f, 0.94f];
        float[] target = [1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f];
        double byHand = (-Math.Log(0.9) - Math.Log(0.89 / 1.99) - Math.Log(0.94)) / 3;
        double withoutRenormalising = (-Math.Log(0.9) - Math.Log(0.89) - Math.Log(0.94)) / 3;

        float value = new CategoricalCrossentropy().Compute(pred, target, [], 3, []);

        Assert.Equal(byHand, value, 5);
        Assert.Equal(0.3239, value, 1e-4);
        Assert.NotEqual(withoutRenormalising, value, 2);
    }

    [Fact]
    public void CategoricalCrossentropyLogitsMatchesKeras()
    {
        // Keras's CategoricalCrossentropy logits test: 0.0573.
        float[] logits = [8f, 1f, 1f, 0f, 9f, 1f, 2f, 3f, 5f];
        float[] target = [1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f];
        Assert.Equal(0.0573, new CategoricalCrossentropy(fromLogits: true).Compute(logits, target, [], 3, []), 1e-4);
    }

    [Fact]
    public void CategoricalCrossentropySmoothsTowardUniform()
    {
        // ls = 1 makes the target 1/C everywhere: the loss is −(1/3) Σ ln q_j with q = p/Σp.
        float[] pred = [0.2f, 0.3f, 0.5f];
        double expected = -(Math.Log(0.2) + Math.Log(0.3) + Math.Log(0.5)) / 3;
        Assert.Equal(expected, new CategoricalCrossentropy(labelSmoothing: 1f).Compute(pred, [0f, 1f, 0f], [], 1, []), 5);
    }

    [Fact]
    public void CategoricalCrossentropyHandlesWideRowsWithoutStackOverflow()
    {
        const int width = 50_000;
        var logits = new float[width];
        var target = new float[width];
        target[123] = 1f;
        var gradient = new float[width];
        // All logits 0: −log(1/width); gradient 1/width except −1 + 1/width at the label.
        float value = new CategoricalCrossentropy(fromLogits: true).Compute(logits, target, [], 1, gradient);
        Assert.Equal(Math.Log(width), value, 4);
        Assert.Equal(1f / width - 1f, gradient[123], 6);
        Assert.Equal(1f / width, gradient[0], 9);
    }

    [Fact]
    public void SparseCategoricalCrossentropyMatchesKerasDocExample()
    {
        // y_true [1, 2], y_pred [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]: per sample 0.0513 and 2.303.
        float value = new SparseCategoricalCrossentropy().Compute([0.05f, 0.95f, 0f, 0.1f, 0.8f, 0.1f], [1f, 2f], [], 2, []);
        Assert.Equal((-Math.Log(0.95) - Math.Log(0.1)) / 2, value, 5);
    }

    [Fact]
    public void SparseCategoricalCrossentropyEqualsCategoricalOnOneHotLabelsIncludingRenormalisation()
    {
        float[] pred = [0.5f, 0.89f, 0.6f, 0.2f, 0.1f, 1.3f];
        var sparseGradient = new float[6];
        var denseGradient = new float[6];
        float sparse = new SparseCategoricalCrossentropy().Compute(pred, [1f, 0f], [], 2, sparseGradient);
        float dense = new CategoricalCrossentropy().Compute(pred, [0f, 1f, 0f, 1f, 0f, 0f], [], 2, denseGradient);
        Assert.Equal(dense, sparse, 6);
        for (int i = 0; i < 6; i++) Assert.Equal(denseGradient[i], sparseGradient[i], 6);
        Assert.Equal((-Math.Log(0.89 / 1.99) - Math.Log(0.2 / 1.6)) / 2, sparse, 5);
    }

    [Fact]
    public void SparseCategoricalCrossentropyTakesOneTargetPerSample()
        => Assert.Equal(1, new SparseCategoricalCrossentropy().TargetWidth(10));

    [Fact]
    public void SparseCategoricalCrossentropyIgnoreClassAveragesOnlyOverTheOtherSamples()
    {
        // Labels [0, −1, 2] with ignore_class −1: per-sample losses −ln q for samples 0 and 2; the middle one
        // (whose label is not even a valid class) costs 0 and the mean is over 2 samples, not 3.
        float[] pred = [0.5f, 0.25f, 0.25f, 0.3f, 0.3f, 0.4f, 0.2f, 0.2f, 0.6f];
        float[] labels = [0f, -1f, 2f];
        double l0 = -Math.Log(0.5), l2 = -Math.Log(0.6);
        var loss = new SparseCategoricalCrossentropy(ignoreClass: -1);
        var gradient = new float[9];

        float value = loss.Compute(pred, labels, [], 3, gradient);

        Assert.Equal((l0 + l2) / 2, value, 5);
        Assert.Equal([0f, 0f, 0f], gradient[3..6]);
        // Sample 0, label 0: d/dp_0 = (1 − 1/q_0)/Σp = −1, halved by the mean over 2 valid samples.
        Assert.Equal(-0.5f, gradient[0], 5);
        Assert.Equal(0.5f, gradient[1], 5);
    }

    [Theory]
    [InlineData(Reduction.SumOverBatchSize, 2.0)]
    [InlineData(Reduction.Sum, 1.0)]
    [InlineData(Reduction.MeanWithSampleWeight, 2.5)]
    public void SparseCategoricalCrossentropyIgnoreClassDropsTheSampleFromEveryReduction(Reduction reduction, double divisor)
    {
        // Sample 1 carries the ignored class 3 (out of range, yet not an error); weights 2, 5, 0.5.
        // Σ l·w over valid samples = 2·(−ln 0.5) + 0.5·(−ln 0.2); divided by the valid count 2, by 1, or by the
        // valid weights 2 + 0.5 (never by 3 samples or 7.5).
        float[] pred = [0.5f, 0.25f, 0.25f, 0.3f, 0.3f, 0.4f, 0.2f, 0.2f, 0.6f];
        double weighted = 2 * -Math.Log(0.5) + 0.5 * -Math.Log(0.2);
        var loss = new SparseCategoricalCrossentropy(ignoreClass: 3) { Reduction = reduction };

        float value = loss.Compute(pred, [0f, 3f, 1f], [2f, 5f, 0.5f], 3, []);

        Assert.Equal(weighted / divisor, value, 5);
    }

    [Theory]
    [InlineData(Reduction.SumOverBatchSize)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.MeanWithSampleWeight)]
    public void SparseCategoricalCrossentropyWithEverySampleIgnoredIsZero(Reduction reduction)
    {
        var gradient = new float[4];
        float value = new SparseCategoricalCrossentropy(ignoreClass: 255) { Reduction = reduction }.Compute([0.5f, 0.5f, 0.1f, 0.9f], [255f, 255f], [], 2, gradient);
        Assert.Equal(0f, value);
        Assert.All(gradient, g => Assert.Equal(0f, g));
    }

    [Theory]
    [InlineData(3f)]
    [InlineData(-1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void SparseCategoricalCrossentropyRejectsLabelsOutsideTheClasses(float label)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new SparseCategoricalCrossentropy().Compute([0.2f, 0.3f, 0.5f, 0.2f, 0.3f, 0.5f], [0f, label], [], 2, []));
        Assert.Contains(label.ToString(), ex.Message);
        Assert.Contains("[0, 3)", ex.Message);
        Assert.Equal("yTrue", ex.ParamName);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void HuberRejectsADeltaThatIsNotPositive(float delta)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Huber(delta));
        Assert.Equal("delta", ex.ParamName);
        Assert.Equal(delta, ex.ActualValue);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void CrossentropiesRejectLabelSmoothingOutsideZeroToOne(float labelSmoothing)
    {
        var binary = Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryCrossentropy(labelSmoothing: labelSmoothing));
        Assert.Equal("labelSmoothing", binary.ParamName);
        Assert.Equal(labelSmoothing, binary.ActualValue);
        var categorical = Assert.Throws<ArgumentOutOfRangeException>(() => new CategoricalCrossentropy(labelSmoothing: labelSmoothing));
        Assert.Equal("labelSmoothing", categorical.ParamName);
        Assert.Equal(labelSmoothing, categorical.ActualValue);
    }

    [Fact]
    public void OptionsAreKeptAndTheirBoundsAccepted()
    {
        Assert.Equal(0.5f, new Huber(0.5f).Delta);
        Assert.Equal(1f, new BinaryCrossentropy(labelSmoothing: 1f).LabelSmoothing);
        Assert.Equal(0f, new CategoricalCrossentropy(labelSmoothing: 0f).LabelSmoothing);
        Assert.True(new CategoricalCrossentropy(fromLogits: true).FromLogits);
        Assert.Equal(-1, new SparseCategoricalCrossentropy(ignoreClass: -1).IgnoreClass);
    }
}
