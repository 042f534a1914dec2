using Gen;

namespace Gen.Generator.Tests.Numerics;

[Model(InputShape = [4])]
[Dense(5, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[AdamW(LearningRate = 0.01, ClipNorm = 0.05, UseEma = true, EmaOverwriteFrequency = 3)]
internal partial class WithAdamW;

[Model(InputShape = [4])]
[Dense(5, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Sgd(LearningRate = 0.1, Momentum = 0.9, Nesterov = true, GlobalClipNorm = 0.5, GradientAccumulationSteps = 2)]
internal partial class WithSgd;

[Model(InputShape = [4])]
[Dense(5, Activation.Tanh, UseBias = false)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[RmsProp(Centered = true, Momentum = 0.5, ClipValue = 0.01, WeightDecay = 0.01)]
internal partial class WithRmsProp;

[Model(InputShape = [4])]
[Dense(5, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Adagrad(LearningRate = 0.05, InitialAccumulatorValue = 0.2, LossScaleFactor = 128)]
internal partial class WithAdagrad;

[Model(InputShape = [4])]
[Dense(5, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Adagrad(LearningRate = 0.05, InitialAccumulatorValue = 0.2)]
internal partial class WithAdagradUnscaled;

[Model(InputShape = [3])]
[Dense(1, Activation.Sigmoid)]
[Loss(LossKind.BinaryCrossentropy)]
[Adam]
[Metrics(MetricKind.BinaryAccuracy, Custom = [typeof(PredictedPositiveRate)])]
internal partial class WithCustomMetric;

/// <summary>A user-defined metric: the weighted fraction of predictions above 0.5.</summary>
public sealed class PredictedPositiveRate : Metric
{
    private double _positive, _total;

    public override string Name => "predicted_positive_rate";

    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        for (int i = 0; i < batch; i++)
        {
            double w = sampleWeight.IsEmpty ? 1 : sampleWeight[i];
            if (yPred[i] > 0.5f) _positive += w;
            _total += w;
        }
    }

    public override float Result() => _total == 0 ? 0 : (float)(_positive / _total);

    public override void Reset() => _positive = _total = 0;
}

/// <summary>
/// The generated model's update is the runtime optimizer built from the attribute: the same options and the same
/// tensor layout give bit-identical weights to a standalone optimizer applied to the same gradients.
/// </summary>
public class OptimizerIntegrationTests
{
    private static readonly string[] Names = ["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"];

    [Fact]
    public void AdamW_with_per_tensor_clipping_and_ema_matches_the_standalone_optimizer() =>
        AssertSameAsStandalone(new WithAdamW(seed: 1),
            new AdamW(learningRate: 0.01f) { ClipNorm = 0.05f, UseEma = true, EmaOverwriteFrequency = 3 }, [20, 5, 15, 3], Names);

    [Fact]
    public void Nesterov_sgd_with_global_clipping_and_accumulation_matches_the_standalone_optimizer() =>
        AssertSameAsStandalone(new WithSgd(seed: 2),
            new Sgd(learningRate: 0.1f, momentum: 0.9f, nesterov: true) { GlobalClipNorm = 0.5f, GradientAccumulationSteps = 2 }, [20, 5, 15, 3], Names);

    [Fact]
    public void Centered_rmsprop_with_clip_value_and_weight_decay_matches_the_standalone_optimizer() =>
        AssertSameAsStandalone(new WithRmsProp(seed: 3),
            new RmsProp(centered: true, momentum: 0.5f) { ClipValue = 0.01f, WeightDecay = 0.01f }, [20, 15, 3], ["dense/kernel", "dense_1/kernel", "dense_1/bias"]);

    [Fact]
    public void A_static_loss_scale_scales_the_gradients_and_leaves_the_update_unchanged()
    {
        var scaled = new WithAdagrad(seed: 4);
        var plain = new WithAdagradUnscaled(seed: 4);
        var (x, y) = Data(16);
        float lossScaled = scaled.ComputeGradients(x, y, default, 16);
        float lossPlain = plain.ComputeGradients(x, y, default, 16);
        Assert.Equal(lossPlain, lossScaled); // the reported loss is not scaled
        float[] plainGradients = plain.GradientValues(), scaledGradients = scaled.GradientValues();
        for (int i = 0; i < plainGradients.Length; i++)
            Assert.Equal(128 * plainGradients[i], scaledGradients[i], 1e-4f * MathF.Max(1, MathF.Abs(128 * plainGradients[i])));
        scaled.ApplyGradients();
        plain.ApplyGradients();
        float[] plainWeights = plain.Weights(), scaledWeights = scaled.Weights();
        for (int i = 0; i < plainWeights.Length; i++) Assert.Equal(plainWeights[i], scaledWeights[i], 1e-6f);
    }

    [Fact]
    public void A_schedule_set_on_the_optimizer_drives_fit_and_history_records_it()
    {
        var model = new WithSgd(seed: 5);
        var schedule = new ExponentialDecay(0.1, decaySteps: 3, decayRate: 0.5);
        model.Optimizer.Schedule = schedule;
        var (x, y) = Data(40);
        var history = model.Fit(x.Chunk(4).Select(r => r).ToArray(), y.Select(v => (int)v).ToArray(), epochs: 3, batchSize: 8, verbose: 0);
        // 5 steps per epoch; the rate recorded after epoch e is the schedule's at the raw step count so far.
        for (int e = 0; e < 3; e++) Assert.Equal(schedule.GetLearningRate(5 * (e + 1)), history["learning_rate"][e]);
        Assert.Throws<InvalidOperationException>(() => model.Optimizer.LearningRate = 0.5f);
    }

    [Fact]
    public void A_custom_metric_is_reported_by_evaluate_and_fit_under_its_names()
    {
        var model = new WithCustomMetric(seed: 6);
        var random = new Random(1);
        var x = new float[50, 3];
        var y = new float[50];
        for (int i = 0; i < 50; i++)
        {
            for (int j = 0; j < 3; j++) x[i, j] = (float)(random.NextDouble() * 2 - 1);
            y[i] = x[i, 0] > 0 ? 1 : 0;
        }
        var history = model.Fit(x, y, epochs: 2, verbose: 0);
        Assert.Contains("predicted_positive_rate", history.Keys);
        var result = model.Evaluate(x, y);
        float[,] p = model.Predict(x);
        int positive = 0;
        for (int i = 0; i < 50; i++) if (p[i, 0] > 0.5f) positive++;
        Assert.Equal(positive / 50f, result.PredictedPositiveRate, 6);
    }

    private static (float[] X, float[] Y) Data(int n)
    {
        var random = new Random(n);
        var x = new float[n * 4];
        var y = new float[n];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 4 - 2);
        for (int i = 0; i < n; i++) y[i] = i % 3;
        return (x, y);
    }

    private static void AssertSameAsStandalone(IModel model, Optimizer standalone, int[] lengths, string[] names)
    {
        standalone.DefineTensors(lengths, names);
        float[] weights = model.Weights();
        var (x, y) = Data(12);
        for (int step = 0; step < 9; step++)
        {
            model.ComputeGradients(x, y, default, 12);
            standalone.Apply(weights, model.GradientValues());
            model.ApplyGradients();
            Assert.Equal(weights, model.Weights());
        }
        Assert.Equal(standalone.Iterations, model.Optimizer.Iterations);
    }
}
