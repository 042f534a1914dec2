using static Gen.Runtime.Tests.OptimizerHarness;

namespace Gen.Runtime.Tests;

/// <summary>Each optimizer of the catalogue against the float64 reference of spec §2, and the equations' telling cases.</summary>
public sealed class OptimizerCatalogueTests
{
    public static TheoryData<OptimizerKind> AllKinds => new(Enum.GetValues<OptimizerKind>());

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Optimizer_MatchesReference_AcrossLearningRateChange(OptimizerKind kind)
    {
        var (optimizer, reference, lr) = Create(kind);

        var (actual, expected) = Run(optimizer, reference, lr, changedLearningRate: lr * 0.3f);

        AssertClose(expected, actual);
        Assert.Equal(60, optimizer.Iterations);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Optimizer_WithEveryOption_MatchesReference(OptimizerKind kind)
    {
        // Loss scale, accumulation over 3 calls, per-tensor clip norm, weight decay but not on the bias, EMA overwritten every 4th update.
        var options = new OptimizerOptions(WeightDecay: 0.05f, ExcludeBias: true, ClipNorm: 1.5f, AccumulationSteps: 3,
            UseEma: true, EmaMomentum: 0.9f, EmaOverwriteFrequency: 4, LossScaleFactor: 1000f);
        var (optimizer, reference, lr) = Create(kind, options);

        var (actual, expected) = Run(optimizer, reference, lr, changedLearningRate: lr * 2f, steps: 61, gradientMultiplier: 1000f);

        AssertClose(expected, actual);
        Assert.Equal(20, optimizer.Iterations);
        optimizer.FinalizeVariableValues(actual);
        AssertClose(reference.Average, actual);
    }

    [Fact]
    public void AdamW_DefaultsToWeightDecay0004_AndMatchesReference()
    {
        var optimizer = new AdamW(learningRate: 0.01f);
        optimizer.DefineTensors(Lengths, Names);
        var reference = new ReferenceOptimizer(new ReferenceOptimizer.Adam(0.9f, 0.999f, 1e-7f, amsgrad: false), Lengths) { WeightDecay = 0.004 };

        var (actual, expected) = Run(optimizer, reference, 0.01f, changedLearningRate: 0.05f);

        Assert.Equal(0.004f, optimizer.WeightDecay);
        AssertClose(expected, actual);
    }

    [Fact]
    public void AdamW_DecaysBeforeTheAdamStep_WithoutTheDecayEnteringTheMoments()
    {
        // w = 2, g = 1, η = 0.1, λ = 0.5, ε = 0: the decay gives w = 2 − 2·0.5·0.1 = 1.9, then the first Adam step is
        // −η·sign(g), so w = 1.8. An L2 term folded into the gradient would give 2 − 0.1 = 1.9.
        var optimizer = new AdamW(learningRate: 0.1f, weightDecay: 0.5f, epsilon: 0f);
        float[] w = [2f];

        optimizer.Apply(w, [1f]);

        Assert.Equal(1.8f, w[0], 1e-6f);

        optimizer.Apply(w, [0f]);
        // t = 2 with g = 0: decay 1.8 → 1.71; m = 0.9·0.1 = 0.09 and v = 0.999·0.001 = 0.000999 come from g alone;
        // α = 0.1·√(1 − 0.999²)/(1 − 0.9²).
        double expected = 1.8 - 1.8 * 0.5 * 0.1 - 0.1 * Math.Sqrt(1 - 0.999 * 0.999) / (1 - 0.81) * 0.09 / Math.Sqrt(0.000999);
        Assert.Equal(expected, w[0], 1e-5);
    }

    [Fact]
    public void RmsProp_PutsEpsilonInsideTheRoot()
    {
        // One step from w = 0, g = 1, η = 1, ρ = 0.9, ε = 1: v = 0.1, w = −1/√(0.1 + 1) = −0.953463.
        // Epsilon outside the root (Adam's placement) would give −1/(√0.1 + 1) = −0.759747.
        var optimizer = new RmsProp(learningRate: 1f, rho: 0.9f, epsilon: 1f);
        float[] w = [0f];

        optimizer.Apply(w, [1f]);

        Assert.Equal(-1 / Math.Sqrt(1.1), w[0], 1e-6);
    }

    [Fact]
    public void RmsPropCentered_DividesByTheVarianceNotTheSecondMoment()
    {
        // One step, g = 1, η = 1, ρ = 0.9, ε = 0: v = 0.1, ḡ = 0.1, so centered w = −1/√(0.1 − 0.01) = −3.333333;
        // uncentered it would be −1/√0.1 = −3.162278.
        var centered = new RmsProp(learningRate: 1f, rho: 0.9f, epsilon: 0f, centered: true);
        float[] w = [0f];

        centered.Apply(w, [1f]);

        Assert.Equal(-1 / Math.Sqrt(0.09), w[0], 1e-5);
    }

    [Fact]
    public void RmsPropMomentum_KeepsTheLearningRateInsideTheBuffer()
    {
        // Step 1 at η = 0.1 with g = 1 (ρ = 0, ε = 0): inc = 0.1, mom = 0.1, w = −0.1.
        // Step 2 at η = 1 with g = 1: inc = 1, mom = 0.5·0.1 + 1 = 1.05, w = −1.15.
        var optimizer = new RmsProp(learningRate: 0.1f, rho: 0f, momentum: 0.5f, epsilon: 0f);
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        optimizer.LearningRate = 1f;
        optimizer.Apply(w, [1f]);

        Assert.Equal(-1.15f, w[0], 1e-6f);
    }

    [Fact]
    public void Adagrad_StartsTheAccumulatorAtItsInitialValue()
    {
        // acc = 3 + 1² = 4, w = −1·1/√4 = −0.5. From 0 the step would be −1.
        var optimizer = new Adagrad(learningRate: 1f, initialAccumulatorValue: 3f, epsilon: 0f);
        float[] w = [0f];

        optimizer.Apply(w, [1f]);

        Assert.Equal(-0.5f, w[0], 1e-6f);
    }

    [Fact]
    public void Optimizers_HaveKerasDefaults()
    {
        var sgd = new Sgd();
        var rms = new RmsProp();
        var adagrad = new Adagrad();
        var adamW = new AdamW();

        Assert.Equal((0.01f, 0f, false), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov));
        Assert.Equal((0.001f, 0.9f, 0f, 1e-7f, false), (rms.LearningRate, rms.Rho, rms.Momentum, rms.Epsilon, rms.Centered));
        Assert.Equal((0.001f, 0.1f, 1e-7f), (adagrad.LearningRate, adagrad.InitialAccumulatorValue, adagrad.Epsilon));
        Assert.Equal((0.001f, 0.004f, 0.9f, 0.999f, 1e-7f, false), (adamW.LearningRate, adamW.WeightDecay, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.Amsgrad));
        Assert.Equal((null, null, null, null, null, false, 0.99f, null, null),
            (sgd.WeightDecay, sgd.ClipNorm, sgd.ClipValue, sgd.GlobalClipNorm, sgd.GradientAccumulationSteps, sgd.UseEma, sgd.EmaMomentum, sgd.EmaOverwriteFrequency, sgd.LossScaleFactor));
    }
}
