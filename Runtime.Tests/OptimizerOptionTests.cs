using static Gen.Runtime.Tests.OptimizerHarness;

namespace Gen.Runtime.Tests;

/// <summary>
/// The options every optimizer takes (spec §1, §3–6): weight decay, the three clip modes, gradient accumulation, EMA,
/// loss scaling and schedules, each against the float64 reference and in a small case worked by hand.
/// </summary>
public sealed class OptimizerOptionTests
{
    /// <summary>One optimizer of each family, with momentum or centering where the family has it.</summary>
    public static TheoryData<OptimizerKind> Families => new(
        OptimizerKind.SgdNesterov, OptimizerKind.Adam, OptimizerKind.AdamW, OptimizerKind.RmsPropCenteredMomentum, OptimizerKind.Adagrad);

    public enum ClipMode { ClipNorm, GlobalClipNorm, ClipValue }

    public static TheoryData<OptimizerKind, ClipMode> FamiliesAndClipModes
    {
        get
        {
            var data = new TheoryData<OptimizerKind, ClipMode>();
            foreach (var kind in Families) foreach (var mode in Enum.GetValues<ClipMode>()) data.Add(kind, mode);
            return data;
        }
    }

    private sealed class Schedule(Func<long, float> rate) : ILearningRateSchedule
    {
        public float GetLearningRate(long step) => rate(step);
    }

    // ---- Weight decay (§3) ----

    [Theory]
    [MemberData(nameof(Families))]
    public void WeightDecay_WithExcludedTensor_MatchesReference(OptimizerKind kind)
    {
        var (optimizer, reference, lr) = Create(kind, new OptimizerOptions(WeightDecay: 0.2f, ExcludeBias: true));

        var (actual, expected) = Run(optimizer, reference, lr, changedLearningRate: lr * 0.5f);

        AssertClose(expected, actual);
    }

    [Fact]
    public void WeightDecay_ShrinksByLambdaTimesEta_ExceptExcludedTensors()
    {
        // λ = 0.5, η = 0.1, g = 0: decayed weights are multiplied by 1 − 0.05; "bias" matches dense/bias only.
        var optimizer = new Sgd(learningRate: 0.1f) { WeightDecay = 0.5f };
        optimizer.DefineTensors([2, 1], ["dense/kernel", "dense/bias"]);
        optimizer.ExcludeFromWeightDecay("bias");
        float[] w = [2f, -4f, 3f];

        optimizer.Apply(w, new float[3]);

        Assert.Equal([1.9f, -3.8f, 3f], w);
    }

    [Fact]
    public void WeightDecay_UsesTheScheduledLearningRate()
    {
        // η(0) = 0.2: w = 1 − 1·0.5·0.2 = 0.9 with g = 0.
        var optimizer = new Sgd(learningRate: 1f) { WeightDecay = 0.5f, Schedule = new Schedule(step => step == 0 ? 0.2f : 5f) };
        float[] w = [1f];

        optimizer.Apply(w, [0f]);

        Assert.Equal(0.9f, w[0], 1e-6f);
    }

    // ---- Clipping (§4) ----

    [Theory]
    [MemberData(nameof(FamiliesAndClipModes))]
    public void Clipping_MatchesReference(OptimizerKind kind, ClipMode mode)
    {
        var options = mode switch
        {
            ClipMode.ClipNorm => new OptimizerOptions(ClipNorm: 1f),
            ClipMode.GlobalClipNorm => new OptimizerOptions(GlobalClipNorm: 1.5f),
            _ => new OptimizerOptions(ClipValue: 0.3f),
        };
        var (optimizer, reference, lr) = Create(kind, options);
        var (unclipped, _, _) = Create(kind);

        var (actual, expected) = Run(optimizer, reference, lr, changedLearningRate: lr * 0.5f);
        var (plain, _) = Run(unclipped, Create(kind).Reference, lr, changedLearningRate: lr * 0.5f);

        AssertClose(expected, actual);
        Assert.True(LargestDifference(actual, plain) > 1e-4, $"{mode} did not change the result");
    }

    [Fact]
    public void ClipNorm_ClipsEachTensorByItsOwnNorm_GlobalClipNorm_ByTheNormOfAll()
    {
        // Tensors (3, 4) with norm 5 and (0.5) with norm 0.5, c = 1, SGD with η = 1 from w = 0, so w = −g_clipped.
        // Per tensor: (3, 4)/5 and 0.5 untouched. Global: every gradient / √25.25.
        float[] g = [3f, 4f, 0.5f];
        var perTensor = new Sgd(learningRate: 1f) { ClipNorm = 1f };
        var global = new Sgd(learningRate: 1f) { GlobalClipNorm = 1f };
        perTensor.DefineTensors([2, 1], ["dense/kernel", "dense/bias"]);
        global.DefineTensors([2, 1], ["dense/kernel", "dense/bias"]);
        float[] a = new float[3], b = new float[3];

        perTensor.Apply(a, g);
        global.Apply(b, g);

        Assert.Equal([-0.6, -0.8, -0.5], Array.ConvertAll(a, x => Math.Round(x, 6)));
        double n = Math.Sqrt(25.25);
        Assert.Equal([Math.Round(-3 / n, 6), Math.Round(-4 / n, 6), Math.Round(-0.5 / n, 6)], Array.ConvertAll(b, x => Math.Round(x, 6)));
    }

    [Fact]
    public void ClipValue_ClampsEachElement()
    {
        var optimizer = new Sgd(learningRate: 1f) { ClipValue = 1f };
        float[] w = new float[3];

        optimizer.Apply(w, [3f, -0.2f, -5f]);

        Assert.Equal([-1f, 0.2f, 1f], w);
    }

    [Fact]
    public void ClipThresholdsAtOrBelowZero_TurnClippingOff()
    {
        var zeroNorm = new Sgd(learningRate: 1f) { ClipNorm = 0f };
        var negativeValue = new Sgd(learningRate: 1f) { ClipValue = -1f };
        var zeroGlobal = new Sgd(learningRate: 1f) { GlobalClipNorm = 0f };
        float[] a = new float[2], b = new float[2], c = new float[2];

        zeroNorm.Apply(a, [30f, -40f]);
        negativeValue.Apply(b, [30f, -40f]);
        zeroGlobal.Apply(c, [30f, -40f]);

        Assert.Equal([-30f, 40f], a);
        Assert.Equal([-30f, 40f], b);
        Assert.Equal([-30f, 40f], c);
    }

    [Fact]
    public void GlobalClipNorm_WithInfiniteGradient_MakesEveryParameterNaN()
    {
        var optimizer = new Sgd(learningRate: 0.1f) { GlobalClipNorm = 1f };
        optimizer.DefineTensors(Lengths, Names);
        float[] w = new float[Parameters];
        float[] g = new float[Parameters];
        g.AsSpan().Fill(0.5f);
        g[3] = float.PositiveInfinity;

        optimizer.Apply(w, g);

        Assert.All(w, x => Assert.True(float.IsNaN(x)));
    }

    [Fact]
    public void ClipNorm_WithInfiniteGradient_LeavesTheOtherTensorsFinite()
    {
        // Keras's g·c/max(‖g‖, c) with ‖g‖ = ∞: the infinite element becomes NaN, the rest of its tensor 0; other tensors clip normally.
        var optimizer = new Sgd(learningRate: 0.1f) { ClipNorm = 100f };
        optimizer.DefineTensors(Lengths, Names);
        float[] w = new float[Parameters];
        float[] g = new float[Parameters];
        g.AsSpan().Fill(0.5f);
        g[3] = float.PositiveInfinity;

        optimizer.Apply(w, g);

        Assert.True(float.IsNaN(w[3]));
        Assert.Equal(0f, w[4]);
        Assert.All(w[Lengths[0]..], x => Assert.Equal(-0.05f, x));
    }

    // ---- Gradient accumulation (§1) ----

    [Theory]
    [MemberData(nameof(Families))]
    public void GradientAccumulation_MatchesReference(OptimizerKind kind)
    {
        var (optimizer, reference, lr) = Create(kind, new OptimizerOptions(AccumulationSteps: 3, ClipNorm: 1f));

        var (actual, expected) = Run(optimizer, reference, lr, changedLearningRate: lr * 0.5f, steps: 60);

        AssertClose(expected, actual);
        Assert.Equal(20, optimizer.Iterations);
    }

    [Fact]
    public void GradientAccumulation_UpdatesOnEveryThirdCall_WithTheMeanGradient()
    {
        var optimizer = new Sgd(learningRate: 1f) { GradientAccumulationSteps = 3 };
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        Assert.Equal((0f, 0L), (w[0], optimizer.Iterations));
        optimizer.Apply(w, [2f]);
        Assert.Equal((0f, 0L), (w[0], optimizer.Iterations));
        optimizer.Apply(w, [6f]);
        Assert.Equal((-3f, 1L), (w[0], optimizer.Iterations));

        // The accumulator was cleared: the next three calls average to 1.
        optimizer.Apply(w, [0f]);
        optimizer.Apply(w, [0f]);
        optimizer.Apply(w, [3f]);
        Assert.Equal((-4f, 2L), (w[0], optimizer.Iterations));
    }

    [Fact]
    public void GradientAccumulation_ClipsTheMean_NotEachGradient()
    {
        // Mean of 1, 2, 6 is 3, clipped to 2.5. Clipping each call first would give (1 + 2 + 2.5)/3 = 1.8333.
        var optimizer = new Sgd(learningRate: 1f) { GradientAccumulationSteps = 3, ClipValue = 2.5f };
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        optimizer.Apply(w, [2f]);
        optimizer.Apply(w, [6f]);

        Assert.Equal(-2.5f, w[0]);
    }

    [Fact]
    public void GradientAccumulation_AdamBiasCorrectionCountsUpdates_NotCalls()
    {
        // The first update (on call 2 of N = 2) has t = 1, so with ε = 0 it moves by exactly η.
        // With t = calls = 2 it would move by η·√(1 − β₂²)/(1 − β₁²)·(1 − β₁)/√(1 − β₂) = 0.744·η.
        var optimizer = new Adam(learningRate: 0.01f, epsilon: 0f) { GradientAccumulationSteps = 2 };
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        optimizer.Apply(w, [3f]);

        Assert.Equal(-0.01f, w[0], 1e-7f);
    }

    // ---- EMA (§6) ----

    [Theory]
    [MemberData(nameof(Families))]
    public void Ema_WithOverwriteFrequency_MatchesReference(OptimizerKind kind)
    {
        var (optimizer, reference, lr) = Create(kind, new OptimizerOptions(UseEma: true, EmaMomentum: 0.8f, EmaOverwriteFrequency: 5));

        var (actual, expected) = Run(optimizer, reference, lr, changedLearningRate: lr * 0.5f, steps: 62);

        AssertClose(expected, actual);
        optimizer.FinalizeVariableValues(actual);
        AssertClose(reference.Average, actual);
    }

    [Fact]
    public void Ema_StartsAtTheWeights_AveragesThem_AndOverwritesEveryFthUpdate()
    {
        // SGD η = 1, g = 1, m = 0.5, f = 2. Update 1: w = −1, avg = w = −1. Update 2: w = −2, avg = 0.5·−1 + 0.5·−2 = −1.5,
        // and (iterations + 1) % 2 == 0 so w = −1.5. Update 3: w = −2.5, avg = −2.
        var optimizer = new Sgd(learningRate: 1f) { UseEma = true, EmaMomentum = 0.5f, EmaOverwriteFrequency = 2 };
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        Assert.Equal(-1f, w[0]);
        optimizer.Apply(w, [1f]);
        Assert.Equal(-1.5f, w[0]);
        optimizer.Apply(w, [1f]);
        Assert.Equal(-2.5f, w[0]);

        optimizer.FinalizeVariableValues(w);
        Assert.Equal(-2f, w[0]);
    }

    [Fact]
    public void Ema_WithAccumulation_AveragesOnEveryCall()
    {
        // Keras updates the EMA on accumulation-only calls too, with momentum 0 while iterations is 0.
        // N = 2, m = 0.5, SGD η = 1: calls 1–2 (iterations 0): avg = w, so avg = −1 after the first update.
        // Call 3 (iterations 1, no update): avg = 0.5·−1 + 0.5·−1 = −1. Call 4 updates w to −3: avg = 0.5·−1 + 0.5·−3 = −2.
        // Averaging only after updates would give the same −2 here, so call 5 (no update) tells them apart: avg = −2.5.
        var optimizer = new Sgd(learningRate: 1f) { UseEma = true, EmaMomentum = 0.5f, GradientAccumulationSteps = 2 };
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        optimizer.Apply(w, [1f]);
        optimizer.Apply(w, [2f]);
        optimizer.Apply(w, [2f]);
        optimizer.Apply(w, [0f]);

        Assert.Equal(-3f, w[0]);
        optimizer.FinalizeVariableValues(w);
        Assert.Equal(-2.5f, w[0]);
    }

    [Fact]
    public void FinalizeVariableValues_WithoutEma_LeavesTheParameters()
    {
        var optimizer = new Sgd(learningRate: 1f);
        float[] w = [0f];
        optimizer.Apply(w, [1f]);

        optimizer.FinalizeVariableValues(w);

        Assert.Equal(-1f, w[0]);
    }

    // ---- Loss scaling (§5) ----

    [Theory]
    [MemberData(nameof(Families))]
    public void LossScaleFactor_DividesTheGradients_MatchesReference(OptimizerKind kind)
    {
        // The gradients are those of a loss scaled by 1000; the result must be that of the unscaled loss.
        var (optimizer, reference, lr) = Create(kind, new OptimizerOptions(LossScaleFactor: 1000f, ClipValue: 0.5f));

        var (actual, expected) = Run(optimizer, reference, lr, gradientMultiplier: 1000f);

        AssertClose(expected, actual);
    }

    [Fact]
    public void LossScaleFactor_ScalesTheLoss_AndUnscalesBeforeClipping()
    {
        // g = 2048 at scale 1024 is 2 after unscaling, then clipped to 1.5: w = −1.5 (clipping the raw gradient, then unscaling, would give ≈ 0).
        var optimizer = new Sgd(learningRate: 1f) { LossScaleFactor = 1024f, ClipValue = 1.5f };
        float[] w = [0f];

        optimizer.Apply(w, [2048f]);

        Assert.Equal(-1.5f, w[0]);
        Assert.Equal(2048f, optimizer.ScaleLoss(2f));
        Assert.Equal(2f, new Sgd().ScaleLoss(2f));
    }

    // ---- Learning rate and schedules (§1, §7) ----

    [Theory]
    [MemberData(nameof(Families))]
    public void Schedule_WithAccumulation_MatchesReference_AtTheRawCallCount(OptimizerKind kind)
    {
        var (optimizer, reference, lr) = Create(kind, new OptimizerOptions(AccumulationSteps: 3));
        Func<long, float> rate = step => lr * 4f / (1f + step * 0.25f);
        optimizer.Schedule = new Schedule(rate);

        var (actual, expected) = Run(optimizer, reference, lr, schedule: step => rate(step));

        AssertClose(expected, actual);
    }

    [Fact]
    public void Schedule_IsAskedForTheCallCount_NotTheUpdateCount()
    {
        // With N = 2 the first update is call 1 (0-based), where Keras takes lr(_iterations = 1) = 1, not lr(iterations = 0) = 100.
        var optimizer = new Sgd { GradientAccumulationSteps = 2, Schedule = new Schedule(step => step == 1 ? 1f : 100f) };
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        optimizer.Apply(w, [1f]);

        Assert.Equal(-1f, w[0]);
    }

    [Fact]
    public void LearningRate_WithSchedule_ReadsTheScheduleAtTheCurrentStep_AndRefusesAssignment()
    {
        var optimizer = new Sgd(learningRate: 0.3f) { Schedule = new Schedule(step => 0.5f / (step + 1)) };
        Assert.Equal((0.5f, 0.5f), (optimizer.LearningRate, optimizer.CurrentLearningRate));

        optimizer.Apply(new float[1], [1f]);

        Assert.Equal((0.25f, 0.25f), (optimizer.LearningRate, optimizer.CurrentLearningRate));
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.LearningRate = 0.1f);
        Assert.Contains("Schedule = null", error.Message);

        optimizer.Schedule = null;
        Assert.Equal(0.3f, optimizer.LearningRate);
        optimizer.LearningRate = 0.1f;
        Assert.Equal(0.1f, optimizer.CurrentLearningRate);
    }
}
