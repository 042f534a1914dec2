using Gen.Cpu;

namespace Gen.Runtime.Tests;

/// <summary>
/// The top-k accuracies, Precision, Recall and AUC against hand-computed values (derivations in the comments) and
/// against an independent float64 AUC; accumulation, reset, allocation and argument checks; and a user-defined F1.
/// </summary>
public sealed class MetricCatalogueTests
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(typeof(TopKCategoricalAccuracyMetric), "top_k_categorical_accuracy")]
    [InlineData(typeof(SparseTopKCategoricalAccuracyMetric), "sparse_top_k_categorical_accuracy")]
    [InlineData(typeof(PrecisionMetric), "precision")]
    [InlineData(typeof(RecallMetric), "recall")]
    [InlineData(typeof(AucMetric), "auc")]
    public void Metric_HasKerasName(Type type, string expected)
    {
        Assert.Equal(expected, Create(type).Name);
    }

    [Fact]
    public void Defaults_MatchKeras()
    {
        Assert.Equal(5, new TopKCategoricalAccuracyMetric().K);
        Assert.Equal(5, new SparseTopKCategoricalAccuracyMetric().K);
        Assert.Equal([0.5f], new PrecisionMetric().Thresholds.ToArray());
        Assert.Equal([-1e10f], new RecallMetric(topK: 3).Thresholds.ToArray());
        var auc = new AucMetric();
        Assert.Equal(200, auc.NumThresholds);
        Assert.Equal(AucCurve.Roc, auc.Curve);
        Assert.Equal(AucSummation.Interpolation, auc.Summation);
    }

    // ---- Top-k categorical accuracy ----

    [Fact]
    public void TopKCategoricalAccuracy_MatchesKerasDocExample_WithAndWithoutWeights()
    {
        // Keras docstring, k = 1: sample 0's true class 2 (0.8) has 0.9 above it: miss; sample 1's class 1 (0.95) is the
        // largest: hit. Mean 0.5; with weights 0.7 and 0.3: 0.3 / 1.0 = 0.3.
        float[] yTrue = [0f, 0f, 1f, 0f, 1f, 0f];
        float[] yPred = [0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f];
        var plain = new TopKCategoricalAccuracyMetric(k: 1);
        var weighted = new TopKCategoricalAccuracyMetric(k: 1);

        plain.Update(yPred, yTrue, [], batch: 2);
        weighted.Update(yPred, yTrue, [0.7f, 0.3f], batch: 2);

        Assert.Equal(0.5, plain.Result(), Tolerance);
        Assert.Equal(0.3, weighted.Result(), Tolerance);
    }

    [Fact]
    public void TopKCategoricalAccuracy_TiesAtTheKthValue_AllCountAsInTheTopK()
    {
        // k = 2. Row 0: class 2 (0.3) has one larger value (0.5): hit, although ops.top_k would keep class 1 of the tied
        // pair. Row 1: class 3 (0.1) has three larger: miss. Row 2 (k = 2 too): all four tie, none larger: hit.
        // in_top_k gives 2/3; keeping only the lower index of a tie would give 1/3.
        float[] yPred = [0.5f, 0.3f, 0.3f, 0.1f, 0.5f, 0.3f, 0.3f, 0.1f, 0.3f, 0.3f, 0.3f, 0.3f];
        float[] yTrue = [0f, 0f, 1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f];
        var metric = new TopKCategoricalAccuracyMetric(k: 2);

        metric.Update(yPred, yTrue, [], batch: 3);

        Assert.Equal(2.0 / 3, metric.Result(), Tolerance);
    }

    [Fact]
    public void TopKCategoricalAccuracy_TrueClassFromArgmaxOfTarget_FirstIndexOnTies()
    {
        // The target [0.5, 0.5, 0] has argmax 0 (first index); with k = 1 the prediction's top class is 1: miss.
        // Taking the tied target's class 1 would give a hit.
        var metric = new TopKCategoricalAccuracyMetric(k: 1);

        metric.Update([0.1f, 0.8f, 0.1f], [0.5f, 0.5f, 0f], [], batch: 1);

        Assert.Equal(0.0, metric.Result(), Tolerance);
    }

    [Fact]
    public void TopKCategoricalAccuracy_NaNScoreForTrueClass_IsAMiss_NaNElsewhereRanksBelow()
    {
        // Row 0: the true class scores NaN: miss even with k = 3 = width. Row 1: class 2 (0.2) with NaNs elsewhere: a NaN
        // is never larger, so it is first: hit with k = 1.
        float[] yPred = [float.NaN, 0.1f, 0.2f, float.NaN, float.NaN, 0.2f];
        float[] yTrue = [1f, 0f, 0f, 0f, 0f, 1f];
        var wide = new TopKCategoricalAccuracyMetric(k: 3);
        var narrow = new TopKCategoricalAccuracyMetric(k: 1);

        wide.Update(yPred.AsSpan(0, 3), yTrue.AsSpan(0, 3), [], batch: 1);
        narrow.Update(yPred.AsSpan(3, 3), yTrue.AsSpan(3, 3), [], batch: 1);

        Assert.Equal(0.0, wide.Result(), Tolerance);
        Assert.Equal(1.0, narrow.Result(), Tolerance);
    }

    [Fact]
    public void SparseTopKCategoricalAccuracy_TruncatesLabels_OutOfRangeAndNaNLabelsMiss_Weighted()
    {
        // Every row is [0.5, 0.3, 0.3, 0.1], k = 2: classes 0, 1, 2 are in (class 2 ties with class 1), class 3 is not.
        // Labels 2.7 → class 2 (int32 cast): hit, w 1; 4: outside the 4 columns: miss, w 1; NaN: miss, w 1;
        // 0: hit, w 2; −1: miss, w 1; 3: miss, w 1. (1 + 2) / 7.
        float[] row = [0.5f, 0.3f, 0.3f, 0.1f];
        float[] yPred = [.. row, .. row, .. row, .. row, .. row, .. row];
        float[] yTrue = [2.7f, 4f, float.NaN, 0f, -1f, 3f];
        var metric = new SparseTopKCategoricalAccuracyMetric(k: 2);

        metric.Update(yPred, yTrue, [1f, 1f, 1f, 2f, 1f, 1f], batch: 6);

        Assert.Equal(3.0 / 7, metric.Result(), Tolerance);
    }

    [Fact]
    public void SparseTopKCategoricalAccuracy_WithKAtLeastWidth_EveryValidLabelHits()
    {
        var metric = new SparseTopKCategoricalAccuracyMetric();

        metric.Update([0.1f, 0.9f, 0.6f, 0.4f], [0f, 1f], [], batch: 2);

        Assert.Equal(1.0, metric.Result(), Tolerance);
    }

    // ---- Precision and recall ----

    [Fact]
    public void PrecisionAndRecall_MatchKerasDocExamples()
    {
        // y_true [0, 1, 1, 1], y_pred [1, 0, 1, 1]: predicted positive 0, 2, 3 → TP 2, FP 1 (sample 0), FN 1 (sample 1):
        // precision 2/3, recall 2/3. Weights [0, 0, 1, 0] keep only sample 2, a TP: both 1.
        float[] yTrue = [0f, 1f, 1f, 1f];
        float[] yPred = [1f, 0f, 1f, 1f];
        var precision = new PrecisionMetric();
        var recall = new RecallMetric();
        var weightedPrecision = new PrecisionMetric();
        var weightedRecall = new RecallMetric();

        precision.Update(yPred, yTrue, [], batch: 4);
        recall.Update(yPred, yTrue, [], batch: 4);
        weightedPrecision.Update(yPred, yTrue, [0f, 0f, 1f, 0f], batch: 4);
        weightedRecall.Update(yPred, yTrue, [0f, 0f, 1f, 0f], batch: 4);

        Assert.Equal(2.0 / 3, precision.Result(), Tolerance);
        Assert.Equal(2.0 / 3, recall.Result(), Tolerance);
        Assert.Equal(1.0, weightedPrecision.Result(), Tolerance);
        Assert.Equal(1.0, weightedRecall.Result(), Tolerance);
    }

    [Fact]
    public void PrecisionAndRecall_SeveralThresholds_OneResultPerThresholdInGivenOrder_Strict()
    {
        // ŷ [0.9, 0.6, 0.4, 0.5, 0.2], y [1, 0, 1, 1, 0], w [1, 2, 1, 3, 1]; positive labels weigh 1 + 1 + 3 = 5.
        // t = 0.7: positive {0.9}: TP 1, FP 0 → P = 1, R = 1/5.
        // t = 0.3: positive {0.9, 0.6, 0.4, 0.5}: TP 1 + 1 + 3 = 5, FP 2 → P = 5/7, R = 5/5.
        // t = 0.5: positive {0.9, 0.6} (0.5 is not > 0.5): TP 1, FP 2 → P = 1/3, R = 1/5. With ≥, P would be 4/6.
        float[] yPred = [0.9f, 0.6f, 0.4f, 0.5f, 0.2f];
        float[] yTrue = [1f, 0f, 1f, 1f, 0f];
        float[] weights = [1f, 2f, 1f, 3f, 1f];
        var precision = new PrecisionMetric(thresholds: [0.7f, 0.3f, 0.5f]);
        var recall = new RecallMetric(thresholds: [0.7f, 0.3f, 0.5f]);

        precision.Update(yPred, yTrue, weights, batch: 5);
        recall.Update(yPred, yTrue, weights, batch: 5);

        AssertClose([1.0, 5.0 / 7, 1.0 / 3], precision.Results);
        AssertClose([0.2, 1.0, 0.2], recall.Results);
        Assert.Equal(1.0, precision.Result(), Tolerance);
        Assert.Equal(0.2, recall.Result(), Tolerance);
    }

    [Fact]
    public void PrecisionAndRecall_EvenlySpacedThresholds_UseTheBucketedPath_WithTheSameStrictComparison()
    {
        // Thresholds [0, 0.5, 1] are evenly spaced, so Keras buckets: b = ⌈ŷ·2⌉ − 1, positive at thresholds 0..b.
        // ŷ [0, 0.5, 1, 0.25], y [1, 1, 1, 0]: buckets −1 (nowhere), 0, 1, 0.
        // t = 0: positive {0.5, 1, 0.25}: TP 2, FP 1, FN 1 → P 2/3, R 2/3.
        // t = 0.5: positive {1}: TP 1, FP 0, FN 2 → P 1, R 1/3.   t = 1: none → P 0 (0/0), R 0.
        float[] yPred = [0f, 0.5f, 1f, 0.25f];
        float[] yTrue = [1f, 1f, 1f, 0f];
        var precision = new PrecisionMetric(thresholds: [0f, 0.5f, 1f]);
        var recall = new RecallMetric(thresholds: [0f, 0.5f, 1f]);

        precision.Update(yPred, yTrue, [], batch: 4);
        recall.Update(yPred, yTrue, [], batch: 4);

        AssertClose([2.0 / 3, 1.0, 0.0], precision.Results);
        AssertClose([2.0 / 3, 1.0 / 3, 0.0], recall.Results);
    }

    [Fact]
    public void Recall_PredictionAboveOne_IsClippedOnTheBucketedPathOnly()
    {
        // ŷ = 1.5, y = 1. Exact path (one threshold, 1): 1.5 > 1, recall 1. Bucketed path ([0, 0.5, 1]): Keras clips
        // ŷ to 1, bucket ⌈2⌉ − 1 = 1, positive at 0 and 0.5 but not at 1: recall [1, 1, 0].
        var exact = new RecallMetric(thresholds: [1f]);
        var bucketed = new RecallMetric(thresholds: [0f, 0.5f, 1f]);

        exact.Update([1.5f], [1f], [], batch: 1);
        bucketed.Update([1.5f], [1f], [], batch: 1);

        Assert.Equal(1.0, exact.Result(), Tolerance);
        AssertClose([1.0, 1.0, 0.0], bucketed.Results);
    }

    [Fact]
    public void PrecisionAndRecall_TopK_TiesGoToTheLowerIndex_MatchKerasDocExamples()
    {
        // Keras docstring: y_true [0, 0, 1, 1], y_pred [1, 1, 1, 1] as one row. top_k = 2 keeps indices 0 and 1 (all
        // tie; lower indices first), both labelled 0: TP 0, FP 2, FN 2 → precision 0, recall 0. top_k = 4 keeps all:
        // TP 2, FP 2, FN 0 → precision 0.5, recall 1. Keeping the higher indices would give precision 1 with top_k = 2.
        float[] yTrue = [0f, 0f, 1f, 1f];
        float[] yPred = [1f, 1f, 1f, 1f];
        var precision2 = new PrecisionMetric(topK: 2);
        var recall2 = new RecallMetric(topK: 2);
        var precision4 = new PrecisionMetric(topK: 4);
        var recall4 = new RecallMetric(topK: 4);

        foreach (var metric in new Metric[] { precision2, recall2, precision4, recall4 }) metric.Update(yPred, yTrue, [], batch: 1);

        Assert.Equal(0.0, precision2.Result(), Tolerance);
        Assert.Equal(0.0, recall2.Result(), Tolerance);
        Assert.Equal(0.5, precision4.Result(), Tolerance);
        Assert.Equal(1.0, recall4.Result(), Tolerance);
    }

    [Fact]
    public void PrecisionAndRecall_TopKWithThreshold_FilteredEntriesAreNegative_Weighted()
    {
        // Row 0 (w 2): ŷ [0.6, 0.9, 0.55, 0.1], y [1, 0, 1, 0]. top 2 = {1 (0.9), 0 (0.6)}; 0.55 > 0.5 but filtered.
        //   Positive: 0 (TP 2), 1 (FP 2); label 2 is missed (FN 2).
        // Row 1 (w 1): ŷ [0.2, 0.3, 0.8, 0.7], y [0, 1, 0, 1]. top 2 = {2, 3}: 2 (FP 1), 3 (TP 1); label 1 missed (FN 1).
        // TP 3, FP 3, FN 3: precision 0.5, recall 0.5. Without top-k, 0.55 would be a TP: precision 5/8, recall 5/6.
        float[] yPred = [0.6f, 0.9f, 0.55f, 0.1f, 0.2f, 0.3f, 0.8f, 0.7f];
        float[] yTrue = [1f, 0f, 1f, 0f, 0f, 1f, 0f, 1f];
        var precision = new PrecisionMetric(thresholds: [0.5f], topK: 2);
        var recall = new RecallMetric(thresholds: [0.5f], topK: 2);
        var recallWithoutTopK = new RecallMetric();

        precision.Update(yPred, yTrue, [2f, 1f], batch: 2);
        recall.Update(yPred, yTrue, [2f, 1f], batch: 2);
        recallWithoutTopK.Update(yPred, yTrue, [2f, 1f], batch: 2);

        Assert.Equal(0.5, precision.Result(), Tolerance);
        Assert.Equal(0.5, recall.Result(), Tolerance);
        Assert.Equal(5.0 / 6, recallWithoutTopK.Result(), Tolerance);
    }

    [Fact]
    public void PrecisionAndRecall_ClassId_CountOnlyThatColumn_Weighted()
    {
        // Column 1 of three rows: ŷ [0.7, 0.3, 0.8], y [1, 1, 0], w [1, 2, 3].
        // 0.7 → TP 1; 0.3 with label 1 → FN 2; 0.8 with label 0 → FP 3. Precision 1/4, recall 1/3.
        // Over all columns the 0.6 of row 1 (label 0, w 2) would add FP 2: precision 1/6.
        float[] yPred = [0.2f, 0.7f, 0.1f, 0.6f, 0.3f, 0.1f, 0.1f, 0.8f, 0.1f];
        float[] yTrue = [0f, 1f, 0f, 0f, 1f, 0f, 1f, 0f, 0f];
        float[] weights = [1f, 2f, 3f];
        var precision = new PrecisionMetric(classId: 1);
        var recall = new RecallMetric(classId: 1);
        var allColumns = new PrecisionMetric();

        precision.Update(yPred, yTrue, weights, batch: 3);
        recall.Update(yPred, yTrue, weights, batch: 3);
        allColumns.Update(yPred, yTrue, weights, batch: 3);

        Assert.Equal(0.25, precision.Result(), Tolerance);
        Assert.Equal(1.0 / 3, recall.Result(), Tolerance);
        Assert.Equal(1.0 / 6, allColumns.Result(), Tolerance);
    }

    [Fact]
    public void PrecisionAndRecall_ClassIdWithTopK_TiesGoToTheLowerIndex()
    {
        // top_k = 1, class 1. Row 0: ŷ [0.5, 0.5, 0] ties 0 and 1; index 0 is kept, so class 1 is filtered: its label 1
        // is a FN. Row 1: ŷ [0.2, 0.5, 0.5] ties 1 and 2; class 1 is kept and positive (> −1e10) with label 0: a FP.
        // TP 0, FP 1, FN 1: precision 0, recall 0. Ties to the higher index: TP 1, FP 0 → 1 and 1; ties all kept (as
        // in_top_k does): TP 1, FP 1 → 0.5 and 1.
        float[] yPred = [0.5f, 0.5f, 0f, 0.2f, 0.5f, 0.5f];
        float[] yTrue = [0f, 1f, 0f, 0f, 0f, 1f];
        var precision = new PrecisionMetric(topK: 1, classId: 1);
        var recall = new RecallMetric(topK: 1, classId: 1);

        precision.Update(yPred, yTrue, [], batch: 2);
        recall.Update(yPred, yTrue, [], batch: 2);

        Assert.Equal(0.0, precision.Result(), Tolerance);
        Assert.Equal(0.0, recall.Result(), Tolerance);

        // The same rows with class 1's label moved: row 0 label [0, 0, 1], row 1 label [0, 1, 0]. Row 0's class 1 is
        // filtered (label 0: nothing); row 1's is kept with label 1: TP 1. Precision 1, recall 1.
        precision.Reset();
        recall.Reset();
        float[] movedTrue = [0f, 0f, 1f, 0f, 1f, 0f];
        precision.Update(yPred, movedTrue, [], batch: 2);
        recall.Update(yPred, movedTrue, [], batch: 2);

        Assert.Equal(1.0, precision.Result(), Tolerance);
        Assert.Equal(1.0, recall.Result(), Tolerance);
    }

    [Fact]
    public void PrecisionAndRecall_NonZeroLabelsArePositive()
    {
        // Labels are cast to bool: 0.3 and −2 are positive. ŷ [0.9, 0.9, 0.1], y [0.3, −2, 0]: TP 2, FP 0, FN 0.
        var precision = new PrecisionMetric();
        var recall = new RecallMetric();

        precision.Update([0.9f, 0.9f, 0.1f], [0.3f, -2f, 0f], [], batch: 3);
        recall.Update([0.9f, 0.9f, 0.1f], [0.3f, -2f, 0f], [], batch: 3);

        Assert.Equal(1.0, precision.Result(), Tolerance);
        Assert.Equal(1.0, recall.Result(), Tolerance);
    }

    // ---- AUC ----

    [Fact]
    public void Auc_Thresholds_AreKerasGridWithEndpoints()
    {
        // n = 5: [0 − 1e-7, 1/4, 2/4, 3/4, 1 + 1e-7]; given thresholds are sorted and get the same endpoints.
        Assert.Equal([-1e-7f, 0.25f, 0.5f, 0.75f, 1.0000001f], new AucMetric(numThresholds: 5).Thresholds.ToArray());
        var given = new AucMetric(thresholds: [0.8f, 0.2f]);
        Assert.Equal([-1e-7f, 0.2f, 0.8f, 1.0000001f], given.Thresholds.ToArray());
        Assert.Equal(4, given.NumThresholds);
    }

    public static TheoryData<AucCurve, AucSummation, double> SmallAucCases => new()
    {
        // n = 3, thresholds [−1e-7, 0.5, 1 + 1e-7]; ŷ [0.2, 0.3, 0.7, 0.8, 0.9], y [0, 1, 1, 0, 1].
        // t0: all positive: TP 3, FP 2, TN 0, FN 0.  t1: {0.7, 0.8, 0.9}: TP 2, FP 1, TN 1, FN 1.  t2: TP 0, FP 0, TN 2, FN 3.
        // ROC: FPR [1, 1/2, 0], TPR [1, 2/3, 0].
        //   interpolation: (1 − 1/2)(1 + 2/3)/2 + (1/2)(2/3 + 0)/2 = 5/12 + 1/6 = 7/12
        //   minoring:      (1/2)(2/3) + (1/2)(0) = 1/3;   majoring: (1/2)(1) + (1/2)(2/3) = 5/6
        { AucCurve.Roc, AucSummation.Interpolation, 7.0 / 12 },
        { AucCurve.Roc, AucSummation.Minoring, 1.0 / 3 },
        { AucCurve.Roc, AucSummation.Majoring, 5.0 / 6 },
        // PR: recall [1, 2/3, 0], precision [3/5, 2/3, 0 (0/0)].
        //   minoring: (1/3)(3/5) + (2/3)(0) = 1/5;   majoring: (1/3)(2/3) + (2/3)(2/3) = 2/3
        //   interpolation (Davis–Goadrich), P = TP + FP = [5, 3, 0]:
        //     i = 0: ΔTP 1, ΔP 2, slope 1/2, intercept 2 − 3/2 = 1/2, ln(5/3): (1/2)(1 + (1/2)ln(5/3)) / (TP1 + FN1 = 3)
        //     i = 1: ΔTP 2, ΔP 3, slope 2/3, intercept 0, P2 = 0 so the log ratio is 1 (ln 1 = 0): (2/3)(2) / 3 = 4/9
        { AucCurve.Pr, AucSummation.Minoring, 1.0 / 5 },
        { AucCurve.Pr, AucSummation.Majoring, 2.0 / 3 },
        { AucCurve.Pr, AucSummation.Interpolation, (0.5 + 0.25 * Math.Log(5.0 / 3)) / 3 + 4.0 / 9 },
    };

    [Theory]
    [MemberData(nameof(SmallAucCases))]
    public void Auc_SmallCase_MatchesHandComputedArea(AucCurve curve, AucSummation summation, double expected)
    {
        var metric = new AucMetric(numThresholds: 3, curve: curve, summation: summation);

        metric.Update([0.2f, 0.3f, 0.7f, 0.8f, 0.9f], [0f, 1f, 1f, 0f, 1f], [], batch: 5);

        Assert.Equal(expected, metric.Result(), Tolerance);
    }

    [Fact]
    public void Auc_PredictionOnAThreshold_IsNegativeThere_AndZeroIsPositiveAtTheFirstEndpoint()
    {
        // n = 3; ŷ [0.5, 0, 1], y [1, 0, 0]. t0 = −1e-7: all positive (0 > −1e-7): TPR 1, FPR 1. t1 = 0.5: only 1.0
        // (0.5 is not > 0.5): TPR 0, FPR 1/2. t2: TPR 0, FPR 0. ROC trapezoids: (1/2)(1 + 0)/2 + (1/2)(0) = 0.25.
        // Counting 0.5 as positive at 0.5 would give 0.75; not counting 0 at t0 would give 0.
        var metric = new AucMetric(numThresholds: 3);

        metric.Update([0.5f, 0f, 1f], [1f, 0f, 0f], [], batch: 3);

        Assert.Equal(0.25, metric.Result(), Tolerance);
    }

    [Fact]
    public void Auc_SampleWeight_AppliesToEveryEntryOfItsRow_AndRowsAreFlattened()
    {
        // n = 3, rows [0.9, 0.2] (y [1, 0], w 1) and [0.7, 0.4] (y [0, 1], w 3): four binary predictions.
        // t0: TP 1 + 3 = 4, FP 1 + 3 = 4: TPR 1, FPR 1. t1 = 0.5: {0.9 (TP 1), 0.7 (FP 3)}: TPR 1/4, FPR 3/4. t2: 0, 0.
        // ROC: (1/4)(1 + 1/4)/2 + (3/4)(1/4)/2 = 5/32 + 3/32 = 1/4.
        var metric = new AucMetric(numThresholds: 3);

        metric.Update([0.9f, 0.2f, 0.7f, 0.4f], [1f, 0f, 0f, 1f], [1f, 3f], batch: 2);

        Assert.Equal(0.25, metric.Result(), Tolerance);
    }

    [Theory]
    [InlineData(AucSummation.Interpolation)]
    [InlineData(AucSummation.Minoring)]
    [InlineData(AucSummation.Majoring)]
    public void Auc_PerfectlySeparableData_HasRocAreaOne(AucSummation summation)
    {
        // Negatives in [0, 0.3], positives in [0.7, 1]: wherever FPR changes, TPR is 1 on both sides, so the area is
        // Σ(x_i − x_{i+1})·1 = FPR(t0) − FPR(t_{n−1}) = 1 − 0 with any summation.
        var random = new Random(11);
        const int Count = 300;
        var yPred = new float[Count];
        var yTrue = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            yTrue[i] = i % 3 == 0 ? 1f : 0f;
            yPred[i] = yTrue[i] == 1f ? 0.7f + 0.3f * (float)random.NextDouble() : 0.3f * (float)random.NextDouble();
        }
        var metric = new AucMetric(summation: summation);

        metric.Update(yPred, yTrue, [], batch: Count);

        Assert.Equal(1.0, metric.Result(), Tolerance);
    }

    [Theory]
    [InlineData(AucSummation.Interpolation, 0.5)]
    [InlineData(AucSummation.Minoring, 0.0)]
    [InlineData(AucSummation.Majoring, 1.0)]
    public void Auc_ConstantPrediction_HasRocAreaOneHalfByInterpolation(AucSummation summation, double expected)
    {
        // Every ŷ = 0.4: below 0.4 the point is (FPR 1, TPR 1), from 0.4 up it is (0, 0). The one step from x = 1 to 0
        // has heights 1 and 0: trapezoid 1/2, minoring 0, majoring 1.
        var metric = new AucMetric(summation: summation);

        metric.Update([0.4f, 0.4f, 0.4f, 0.4f, 0.4f], [1f, 0f, 1f, 0f, 0f], [], batch: 5);

        Assert.Equal(expected, metric.Result(), Tolerance);
    }

    public static TheoryData<AucCurve, AucSummation, bool> AllAucKinds
    {
        get
        {
            var data = new TheoryData<AucCurve, AucSummation, bool>();
            foreach (var curve in new[] { AucCurve.Roc, AucCurve.Pr })
            {
                foreach (var summation in new[] { AucSummation.Interpolation, AucSummation.Minoring, AucSummation.Majoring })
                {
                    data.Add(curve, summation, false);
                    data.Add(curve, summation, true);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllAucKinds))]
    public void Auc_MatchesIndependentFloat64Implementation(AucCurve curve, AucSummation summation, bool givenThresholds)
    {
        // Default 200 thresholds (Keras's bucketed path) or 7 uneven given ones (the comparison path); noisy labels,
        // weighted rows of width 3.
        const int Batch = 150, Width = 3;
        var (yPred, yTrue, weights) = ScoredBatch(Batch, Width, seed: 21);
        var metric = givenThresholds
            ? new AucMetric(curve: curve, summation: summation, thresholds: [0.9f, 0.05f, 0.3f, 0.31f, 0.6f, 0.75f, 0.5f])
            : new AucMetric(curve: curve, summation: summation);
        var elementWeights = new float[Batch * Width];
        for (int i = 0; i < elementWeights.Length; i++) elementWeights[i] = weights[i / Width];

        metric.Update(yPred, yTrue, weights, Batch);
        double expected = ReferenceAuc(metric.Thresholds.ToArray(), yPred, yTrue, elementWeights, curve, summation);

        Assert.Equal(expected, metric.Result(), 1e-6);
        Assert.InRange(expected, 0.55, 1.0);
    }

    [Fact]
    public void Auc_GivenEvenlySpacedThresholds_CountLikeTheGeneratedGrid()
    {
        // [0.5, 0.25, 0.75] sorts to the inner points of the 5-threshold grid, so both take the bucketed path and see
        // the same counts.
        var (yPred, yTrue, weights) = ScoredBatch(40, 2, seed: 13);
        var given = new AucMetric(thresholds: [0.5f, 0.25f, 0.75f], curve: AucCurve.Pr);
        var generated = new AucMetric(numThresholds: 5, curve: AucCurve.Pr);

        given.Update(yPred, yTrue, weights, 40);
        generated.Update(yPred, yTrue, weights, 40);

        Assert.Equal(generated.Thresholds.ToArray(), given.Thresholds.ToArray());
        Assert.Equal(generated.Result(), given.Result());
    }

    [Fact]
    public void Auc_FromLogits_EqualsSigmoidAppliedFirst()
    {
        var random = new Random(5);
        var logits = new float[40];
        var yTrue = new float[40];
        for (int i = 0; i < logits.Length; i++)
        {
            yTrue[i] = random.Next(2);
            logits[i] = (float)(random.NextDouble() * 8 - 4 + yTrue[i]);
        }
        var probabilities = new float[logits.Length];
        Activations.Sigmoid.Forward(logits, probabilities, width: 1);
        var fromLogits = new AucMetric(fromLogits: true);
        var fromProbabilities = new AucMetric();
        var logitsAsProbabilities = new AucMetric();

        fromLogits.Update(logits, yTrue, [], batch: 40);
        fromProbabilities.Update(probabilities, yTrue, [], batch: 40);
        logitsAsProbabilities.Update(logits, yTrue, [], batch: 40);

        Assert.Equal(fromProbabilities.Result(), fromLogits.Result());
        Assert.True(Math.Abs(fromProbabilities.Result() - logitsAsProbabilities.Result()) > 1e-3);
    }

    [Theory]
    [InlineData(AucCurve.Roc)]
    [InlineData(AucCurve.Pr)]
    public void Auc_MultiLabel_IsMeanOfPerLabelAreas(AucCurve curve)
    {
        const int Batch = 60, Width = 3;
        var (yPred, yTrue, weights) = ScoredBatch(Batch, Width, seed: 8);
        var multi = new AucMetric(curve: curve, multiLabel: true);
        var flat = new AucMetric(curve: curve);
        double sum = 0;
        for (int label = 0; label < Width; label++)
        {
            var column = new AucMetric(curve: curve);
            column.Update(Column(yPred, Width, label), Column(yTrue, Width, label), weights, Batch);
            sum += column.Result();
        }

        multi.Update(yPred, yTrue, weights, Batch);
        flat.Update(yPred, yTrue, weights, Batch);

        Assert.Equal(sum / Width, multi.Result(), Tolerance);
        Assert.True(Math.Abs(flat.Result() - multi.Result()) > 1e-4);
    }

    [Fact]
    public void Auc_MultiLabel_RejectsAChangeOfWidth_NamingYPred()
    {
        var metric = new AucMetric(multiLabel: true);
        metric.Update([0.1f, 0.9f], [0f, 1f], [], batch: 1);

        var error = Assert.Throws<ArgumentException>(() => metric.Update([0.1f, 0.9f, 0.5f], [0f, 1f, 0f], [], batch: 1));

        Assert.Equal("yPred", error.ParamName);
    }

    // ---- A user-defined metric ----

    [Fact]
    public void UserDefinedF1_IsHarmonicMeanOfAccumulatedPrecisionAndRecall()
    {
        // ŷ [0.9, 0.6, 0.4, 0.2, 0.8], y [1, 0, 1, 1, 1]: TP 2 (0.9, 0.8), FP 1 (0.6), FN 2 (0.4, 0.2).
        // P = 2/3, R = 1/2, F1 = 2·(1/3) / (7/6) = 4/7 (= 2TP / (2TP + FP + FN) = 4/7).
        float[] yPred = [0.9f, 0.6f, 0.4f, 0.2f, 0.8f];
        float[] yTrue = [1f, 0f, 1f, 1f, 1f];
        var f1 = new F1ScoreMetric();
        var precision = new PrecisionMetric();
        var recall = new RecallMetric();

        foreach (var metric in new Metric[] { f1, precision, recall }) metric.Update(yPred, yTrue, [], batch: 5);

        Assert.Equal(4.0 / 7, f1.Result(), Tolerance);
        double p = precision.Result(), r = recall.Result();
        Assert.Equal(2 * p * r / (p + r), f1.Result(), Tolerance);
    }

    [Fact]
    public void UserDefinedF1_AccumulatesCounts_NotPerBatchScores()
    {
        // Batch 1: ŷ [0.9], y [1]: TP 1 (F1 1). Batch 2: ŷ [0.9, 0.1, 0.1], y [0, 1, 1]: FP 1, FN 2 (F1 0).
        // Pooled: TP 1, FP 1, FN 2: P 1/2, R 1/3, F1 = (1/3) / (5/6) = 2/5; the mean of batch scores would be 1/2.
        var metric = new F1ScoreMetric();

        metric.Update([0.9f], [1f], [], batch: 1);
        metric.Update([0.9f, 0.1f, 0.1f], [0f, 1f, 1f], [], batch: 3);
        float pooled = metric.Result();
        metric.Reset();

        Assert.Equal(0.4, pooled, Tolerance);
        Assert.Equal(0f, metric.Result());
    }

    // ---- Shared behaviour ----

    public static TheoryData<string> AllMetrics =>
    [
        "top_k", "sparse_top_k", "precision", "recall", "precision_thresholds", "recall_top_k", "precision_class_top_k",
        "auc", "auc_pr", "auc_given", "auc_multi", "f1",
    ];

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Metric_AccumulatedOverBatches_EqualsOneBigBatch(string kind)
    {
        const int Batch = 23, Width = 4;
        var (yPred, yTrue, weights) = BatchFor(kind, Batch, Width, seed: 7);
        int targetWidth = yTrue.Length / Batch;
        var whole = Create(kind);
        var pieces = Create(kind);

        whole.Update(yPred, yTrue, weights, Batch);
        foreach (var (start, count) in new[] { (0, 5), (5, 1), (6, 10), (16, 7) })
        {
            pieces.Update(
                yPred.AsSpan(start * Width, count * Width), yTrue.AsSpan(start * targetWidth, count * targetWidth),
                weights.AsSpan(start, count), count);
        }

        Assert.Equal(whole.Result(), pieces.Result(), Tolerance);
        Assert.NotEqual(0f, whole.Result());
        if (whole is PrecisionMetric precision) AssertClose(ToDoubles(precision.Results), ((PrecisionMetric)pieces).Results);
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Metric_AfterReset_ForgetsEarlierBatches(string kind)
    {
        const int Batch = 9, Width = 4;
        var (firstPred, firstTrue, firstWeights) = BatchFor(kind, Batch, Width, seed: 1);
        var (secondPred, secondTrue, secondWeights) = BatchFor(kind, Batch, Width, seed: 2);
        var fresh = Create(kind);
        fresh.Update(secondPred, secondTrue, secondWeights, Batch);
        var reused = Create(kind);
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
    public void Metric_BeforeAnyUpdate_IsZero(string kind)
    {
        Assert.Equal(0f, Create(kind).Result());
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Update_DoesNotAllocate(string kind)
    {
        var (yPred, yTrue, weights) = BatchFor(kind, 16, 4, seed: 4);
        var metric = Create(kind);
        metric.Update(yPred, yTrue, weights, 16);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) metric.Update(yPred, yTrue, weights, 16);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void Update_RejectsWrongWeightCount_NamingTheParameter(string kind)
    {
        var (yPred, yTrue, _) = BatchFor(kind, 4, 4, seed: 3);
        var metric = Create(kind);

        var error = Assert.Throws<ArgumentException>(() => metric.Update(yPred, yTrue, [1f, 2f, 3f], batch: 4));

        Assert.Equal("sampleWeight", error.ParamName);
    }

    [Theory]
    [InlineData("precision")]
    [InlineData("auc")]
    public void Update_RejectsTargetsOfAnotherShape_NamingYTrue(string kind)
    {
        var metric = Create(kind);

        var error = Assert.Throws<ArgumentException>(() => metric.Update([0.1f, 0.9f, 0.8f, 0.2f], [0f, 1f], [], batch: 2));

        Assert.Equal("yTrue", error.ParamName);
    }

    // ---- Validation ----

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TopK_NonPositiveK_IsRejected(int k)
    {
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => new TopKCategoricalAccuracyMetric(k)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => new SparseTopKCategoricalAccuracyMetric(k)).ParamName);
        Assert.Equal("topK", Assert.Throws<ArgumentOutOfRangeException>(() => new PrecisionMetric(topK: k)).ParamName);
        Assert.Equal("topK", Assert.Throws<ArgumentOutOfRangeException>(() => new RecallMetric(topK: k)).ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-5)]
    public void Auc_NumThresholdsBelowTwo_IsRejected(int numThresholds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AucMetric(numThresholds: numThresholds));

        Assert.Equal("numThresholds", error.ParamName);
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1.01f)]
    [InlineData(float.NaN)]
    public void ThresholdsOutsideZeroToOne_AreRejected(float bad)
    {
        float[] thresholds = [0.5f, bad];

        Assert.Equal("thresholds", Assert.Throws<ArgumentOutOfRangeException>(() => new PrecisionMetric(thresholds)).ParamName);
        Assert.Equal("thresholds", Assert.Throws<ArgumentOutOfRangeException>(() => new RecallMetric(thresholds)).ParamName);
        Assert.Equal("thresholds", Assert.Throws<ArgumentOutOfRangeException>(() => new AucMetric(thresholds: thresholds)).ParamName);
    }

    [Fact]
    public void ThresholdsAtZeroAndOne_AreAccepted()
    {
        Assert.Equal([0f, 1f], new PrecisionMetric([0f, 1f]).Thresholds.ToArray());
    }

    [Fact]
    public void PrecisionAndRecall_EmptyThresholds_AreRejected()
    {
        Assert.Equal("thresholds", Assert.Throws<ArgumentException>(() => new PrecisionMetric([])).ParamName);
        Assert.Equal("thresholds", Assert.Throws<ArgumentException>(() => new RecallMetric([])).ParamName);
    }

    [Fact]
    public void ClassId_Negative_IsRejectedAtConstruction()
    {
        Assert.Equal("classId", Assert.Throws<ArgumentOutOfRangeException>(() => new PrecisionMetric(classId: -1)).ParamName);
        Assert.Equal("classId", Assert.Throws<ArgumentOutOfRangeException>(() => new RecallMetric(classId: -1)).ParamName);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void ClassId_OutOfRange_IsRejectedAtUpdate_NamingYPred(int classId)
    {
        var precision = new PrecisionMetric(classId: classId);
        var recall = new RecallMetric(classId: classId);
        float[] yPred = [0.1f, 0.2f, 0.7f];
        float[] yTrue = [0f, 0f, 1f];

        Assert.Equal("yPred", Assert.Throws<ArgumentException>(() => precision.Update(yPred, yTrue, [], batch: 1)).ParamName);
        Assert.Equal("yPred", Assert.Throws<ArgumentException>(() => recall.Update(yPred, yTrue, [], batch: 1)).ParamName);
        new PrecisionMetric(classId: 2).Update(yPred, yTrue, [], batch: 1);
    }

    [Fact]
    public void TopKWiderThanThePredictions_IsRejectedAtUpdate_NamingYPred()
    {
        var precision = new PrecisionMetric(topK: 4);

        var error = Assert.Throws<ArgumentException>(() => precision.Update([0.1f, 0.2f, 0.7f], [0f, 0f, 1f], [], batch: 1));

        Assert.Equal("yPred", error.ParamName);
    }

    // ---- Helpers ----

    private static Metric Create(Type type) => type.Name switch
    {
        nameof(TopKCategoricalAccuracyMetric) => new TopKCategoricalAccuracyMetric(),
        nameof(SparseTopKCategoricalAccuracyMetric) => new SparseTopKCategoricalAccuracyMetric(),
        nameof(PrecisionMetric) => new PrecisionMetric(),
        nameof(RecallMetric) => new RecallMetric(),
        nameof(AucMetric) => new AucMetric(),
        _ => throw new ArgumentException($"No factory for {type}.", nameof(type)),
    };

    private static Metric Create(string kind) => kind switch
    {
        "top_k" => new TopKCategoricalAccuracyMetric(k: 2),
        "sparse_top_k" => new SparseTopKCategoricalAccuracyMetric(k: 2),
        "precision" => new PrecisionMetric(),
        "recall" => new RecallMetric(),
        "precision_thresholds" => new PrecisionMetric(thresholds: [0.5f, 0.2f, 0.8f]),
        "recall_top_k" => new RecallMetric(topK: 2),
        "precision_class_top_k" => new PrecisionMetric(topK: 2, classId: 1),
        "auc" => new AucMetric(),
        "auc_pr" => new AucMetric(curve: AucCurve.Pr),
        "auc_given" => new AucMetric(thresholds: [0.1f, 0.45f, 0.5f, 0.9f], summation: AucSummation.Minoring),
        "auc_multi" => new AucMetric(multiLabel: true),
        "f1" => new F1ScoreMetric(),
        _ => throw new ArgumentException($"No factory for {kind}.", nameof(kind)),
    };

    /// <summary>Scores in [0, 1], labels (integer for sparse top-k, one-hot for top-k, 0/1 otherwise) and weights in [0, 2).</summary>
    private static (float[] YPred, float[] YTrue, float[] Weights) BatchFor(string kind, int batch, int width, int seed)
    {
        var (yPred, yTrue, weights) = ScoredBatch(batch, width, seed);
        var random = new Random(seed + 1000);
        if (kind == "sparse_top_k")
        {
            yTrue = new float[batch];
            for (int i = 0; i < batch; i++) yTrue[i] = random.Next(width);
        }
        else if (kind == "top_k")
        {
            yTrue = new float[batch * width];
            for (int i = 0; i < batch; i++) yTrue[i * width + random.Next(width)] = 1f;
        }
        return (yPred, yTrue, weights);
    }

    /// <summary>0/1 labels with scores that lean towards them (so the areas are well above 1/2), and weights in [0, 2).</summary>
    private static (float[] YPred, float[] YTrue, float[] Weights) ScoredBatch(int batch, int width, int seed)
    {
        var random = new Random(seed);
        var yPred = new float[batch * width];
        var yTrue = new float[batch * width];
        for (int i = 0; i < yPred.Length; i++)
        {
            yTrue[i] = random.Next(2);
            yPred[i] = (float)Math.Clamp(0.3 * yTrue[i] + 0.7 * random.NextDouble(), 0, 1);
        }
        var weights = new float[batch];
        for (int i = 0; i < batch; i++) weights[i] = (float)(random.NextDouble() * 2);
        return (yPred, yTrue, weights);
    }

    private static float[] Column(float[] values, int width, int column)
    {
        var result = new float[values.Length / width];
        for (int i = 0; i < result.Length; i++) result[i] = values[i * width + column];
        return result;
    }

    /// <summary>
    /// The AUC formulas of keras-semantics.md §9 evaluated directly in float64: confusion counts by comparing every
    /// prediction with every threshold (ŷ &gt; t), then the Riemann sum or Davis–Goadrich interpolation.
    /// </summary>
    private static double ReferenceAuc(float[] thresholds, float[] yPred, float[] yTrue, float[] weights, AucCurve curve, AucSummation summation)
    {
        int n = thresholds.Length;
        var tp = new double[n];
        var fp = new double[n];
        var tn = new double[n];
        var fn = new double[n];
        for (int t = 0; t < n; t++)
        {
            for (int e = 0; e < yPred.Length; e++)
            {
                bool predicted = yPred[e] > thresholds[t], actual = yTrue[e] != 0f;
                if (predicted && actual) tp[t] += weights[e];
                else if (predicted) fp[t] += weights[e];
                else if (actual) fn[t] += weights[e];
                else tn[t] += weights[e];
            }
        }

        static double Safe(double a, double b) => b == 0 ? 0 : a / b;
        double area = 0;
        if (curve == AucCurve.Pr && summation == AucSummation.Interpolation)
        {
            for (int i = 0; i < n - 1; i++)
            {
                double pI = tp[i] + fp[i], pNext = tp[i + 1] + fp[i + 1];
                double dtp = tp[i] - tp[i + 1];
                double slope = Safe(dtp, Math.Max(pI - pNext, 0));
                double intercept = tp[i + 1] - slope * pNext;
                double logRatio = pI > 0 && pNext > 0 ? Math.Log(pI / pNext) : 0;
                area += Safe(slope * (dtp + intercept * logRatio), Math.Max(tp[i + 1] + fn[i + 1], 0));
            }
            return area;
        }

        var x = new double[n];
        var y = new double[n];
        for (int t = 0; t < n; t++)
        {
            double recall = Safe(tp[t], tp[t] + fn[t]);
            x[t] = curve == AucCurve.Roc ? Safe(fp[t], fp[t] + tn[t]) : recall;
            y[t] = curve == AucCurve.Roc ? recall : Safe(tp[t], tp[t] + fp[t]);
        }
        for (int i = 0; i < n - 1; i++)
        {
            double height = summation switch
            {
                AucSummation.Interpolation => 0.5 * (y[i] + y[i + 1]),
                AucSummation.Minoring => Math.Min(y[i], y[i + 1]),
                _ => Math.Max(y[i], y[i + 1]),
            };
            area += (x[i] - x[i + 1]) * height;
        }
        return area;
    }

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
