namespace Gen.Runtime.Tests;

public enum OptimizerKind
{
    Sgd, SgdMomentum, SgdNesterov, Adam, AdamAmsgrad, AdamW,
    RmsProp, RmsPropMomentum, RmsPropCentered, RmsPropCenteredMomentum, Adagrad, AdagradInitialAccumulator,
}

/// <summary>The base optimizer options, for building a runtime optimizer and its float64 reference alike.</summary>
internal sealed record OptimizerOptions(
    float? WeightDecay = null, bool ExcludeBias = false, float? ClipNorm = null, float? ClipValue = null, float? GlobalClipNorm = null,
    int? AccumulationSteps = null, bool UseEma = false, float EmaMomentum = 0.99f, int? EmaOverwriteFrequency = null,
    float? LossScaleFactor = null);

/// <summary>
/// Runs a runtime optimizer (float32) and a <see cref="ReferenceOptimizer"/> (float64) side by side on a buffer of three
/// tensors of different sizes, from the same weights with the same random gradients.
/// </summary>
internal static class OptimizerHarness
{
    public static readonly int[] Lengths = [24, 7, 5];
    public static readonly string[] Names = ["dense/kernel", "dense/bias", "output/kernel"];
    public const int Parameters = 36;

    /// <summary>The optimizer of <paramref name="kind"/> with <paramref name="options"/>, its reference and its learning rate.</summary>
    public static (Optimizer Optimizer, ReferenceOptimizer Reference, float LearningRate) Create(OptimizerKind kind, OptimizerOptions? options = null)
    {
        var o = options ?? new OptimizerOptions();
        float momentum = kind is OptimizerKind.SgdMomentum or OptimizerKind.SgdNesterov ? 0.9f
            : kind is OptimizerKind.RmsPropMomentum or OptimizerKind.RmsPropCenteredMomentum ? 0.8f : 0f;
        bool centered = kind is OptimizerKind.RmsPropCentered or OptimizerKind.RmsPropCenteredMomentum;
        float initialAccumulator = kind == OptimizerKind.AdagradInitialAccumulator ? 0.5f : 0.1f;
        (Optimizer Optimizer, ReferenceOptimizer.IRule Rule, float LearningRate) made = kind switch
        {
            OptimizerKind.Sgd or OptimizerKind.SgdMomentum or OptimizerKind.SgdNesterov => (
                new Sgd(0.05f, momentum, nesterov: kind == OptimizerKind.SgdNesterov)
                {
                    WeightDecay = o.WeightDecay, ClipNorm = o.ClipNorm, ClipValue = o.ClipValue, GlobalClipNorm = o.GlobalClipNorm,
                    GradientAccumulationSteps = o.AccumulationSteps, UseEma = o.UseEma, EmaMomentum = o.EmaMomentum,
                    EmaOverwriteFrequency = o.EmaOverwriteFrequency, LossScaleFactor = o.LossScaleFactor,
                },
                new ReferenceOptimizer.Sgd(momentum, kind == OptimizerKind.SgdNesterov), 0.05f),
            OptimizerKind.Adam or OptimizerKind.AdamAmsgrad => (
                new Adam(0.01f, 0.9f, 0.999f, 1e-7f, amsgrad: kind == OptimizerKind.AdamAmsgrad)
                {
                    WeightDecay = o.WeightDecay, ClipNorm = o.ClipNorm, ClipValue = o.ClipValue, GlobalClipNorm = o.GlobalClipNorm,
                    GradientAccumulationSteps = o.AccumulationSteps, UseEma = o.UseEma, EmaMomentum = o.EmaMomentum,
                    EmaOverwriteFrequency = o.EmaOverwriteFrequency, LossScaleFactor = o.LossScaleFactor,
                },
                new ReferenceOptimizer.Adam(0.9f, 0.999f, 1e-7f, kind == OptimizerKind.AdamAmsgrad), 0.01f),
            OptimizerKind.AdamW => (
                o.WeightDecay is float decay
                    ? new AdamW(0.01f, decay)
                    {
                        ClipNorm = o.ClipNorm, ClipValue = o.ClipValue, GlobalClipNorm = o.GlobalClipNorm,
                        GradientAccumulationSteps = o.AccumulationSteps, UseEma = o.UseEma, EmaMomentum = o.EmaMomentum,
                        EmaOverwriteFrequency = o.EmaOverwriteFrequency, LossScaleFactor = o.LossScaleFactor,
                    }
                    : new AdamW(0.01f)
                    {
                        ClipNorm = o.ClipNorm, ClipValue = o.ClipValue, GlobalClipNorm = o.GlobalClipNorm,
                        GradientAccumulationSteps = o.AccumulationSteps, UseEma = o.UseEma, EmaMomentum = o.EmaMomentum,
                        EmaOverwriteFrequency = o.EmaOverwriteFrequency, LossScaleFactor = o.LossScaleFactor,
                    },
                new ReferenceOptimizer.Adam(0.9f, 0.999f, 1e-7f, amsgrad: false), 0.01f),
            OptimizerKind.RmsProp or OptimizerKind.RmsPropMomentum or OptimizerKind.RmsPropCentered or OptimizerKind.RmsPropCenteredMomentum => (
                new RmsProp(0.01f, 0.9f, momentum, 1e-7f, centered)
                {
                    WeightDecay = o.WeightDecay, ClipNorm = o.ClipNorm, ClipValue = o.ClipValue, GlobalClipNorm = o.GlobalClipNorm,
                    GradientAccumulationSteps = o.AccumulationSteps, UseEma = o.UseEma, EmaMomentum = o.EmaMomentum,
                    EmaOverwriteFrequency = o.EmaOverwriteFrequency, LossScaleFactor = o.LossScaleFactor,
                },
                new ReferenceOptimizer.RmsProp(0.9f, momentum, 1e-7f, centered), 0.01f),
            _ => (
                new Adagrad(0.1f, initialAccumulator, 1e-7f)
                {
                    WeightDecay = o.WeightDecay, ClipNorm = o.ClipNorm, ClipValue = o.ClipValue, GlobalClipNorm = o.GlobalClipNorm,
                    GradientAccumulationSteps = o.AccumulationSteps, UseEma = o.UseEma, EmaMomentum = o.EmaMomentum,
                    EmaOverwriteFrequency = o.EmaOverwriteFrequency, LossScaleFactor = o.LossScaleFactor,
                },
                new ReferenceOptimizer.Adagrad(initialAccumulator, 1e-7f), 0.1f),
        };

        var (optimizer, rule, lr) = made;
        optimizer.DefineTensors(Lengths, Names);
        if (o.ExcludeBias) optimizer.ExcludeFromWeightDecay("bias");
        var reference = new ReferenceOptimizer(rule, Lengths)
        {
            // AdamW's default decay is 0.004 (spec §2), written here rather than read from the runtime.
            WeightDecay = kind == OptimizerKind.AdamW ? o.WeightDecay ?? 0.004f : o.WeightDecay,
            Excluded = o.ExcludeBias ? [false, true, false] : null,
            ClipNorm = o.ClipNorm, ClipValue = o.ClipValue, GlobalClipNorm = o.GlobalClipNorm,
            AccumulationSteps = o.AccumulationSteps, UseEma = o.UseEma, EmaMomentum = o.EmaMomentum,
            EmaOverwriteFrequency = o.EmaOverwriteFrequency, LossScale = o.LossScaleFactor,
        };
        return (optimizer, reference, lr);
    }

    /// <summary>
    /// Runs <paramref name="steps"/> calls of both from the same random weights. Each step's gradient has a random scale
    /// per tensor (0.05 to 4, so norm clipping bites on some steps and not others), times <paramref name="gradientMultiplier"/>.
    /// The learning rate changes to <paramref name="changedLearningRate"/> before call 30 when given; with
    /// <paramref name="schedule"/> the reference takes its rate from the schedule at its raw call count.
    /// </summary>
    public static (float[] Actual, double[] Expected) Run(Optimizer optimizer, ReferenceOptimizer reference, float learningRate,
        float? changedLearningRate = null, int steps = 60, float gradientMultiplier = 1f, Func<long, double>? schedule = null, int seed = 1234)
    {
        var random = new Random(seed);
        var actual = new float[Parameters];
        for (int i = 0; i < Parameters; i++) actual[i] = (float)(random.NextDouble() * 2 - 1);
        var expected = Array.ConvertAll(actual, x => (double)x);
        var gradient = new float[Parameters];
        var gradient64 = new double[Parameters];
        double eta = learningRate;
        for (int step = 0; step < steps; step++)
        {
            if (step == 30 && changedLearningRate is float changed)
            {
                optimizer.LearningRate = changed;
                eta = changed;
            }
            Gradients(random, gradient, gradientMultiplier);
            for (int i = 0; i < Parameters; i++) gradient64[i] = gradient[i];
            optimizer.Apply(actual, gradient);
            reference.Apply(expected, gradient64, schedule?.Invoke(reference.Calls) ?? eta);
        }
        return (actual, expected);
    }

    public static void Gradients(Random random, Span<float> gradient, float multiplier = 1f)
    {
        for (int k = 0, start = 0; k < Lengths.Length; start += Lengths[k], k++)
        {
            double scale = Math.Exp(Math.Log(0.05) + random.NextDouble() * (Math.Log(4) - Math.Log(0.05)));
            for (int i = start; i < start + Lengths[k]; i++) gradient[i] = (float)((random.NextDouble() * 2 - 1) * scale) * multiplier;
        }
    }

    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double relative = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= relative * Math.Max(1.0, Math.Abs(expected[i])), $"parameter {i}: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2})");
        }
    }

    /// <summary>The largest difference between two runs: a test uses it to show that an option changes the result.</summary>
    public static double LargestDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double largest = 0;
        for (int i = 0; i < a.Length; i++) largest = Math.Max(largest, Math.Abs(a[i] - b[i]));
        return largest;
    }
}
