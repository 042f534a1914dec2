using Gen;

namespace Gen.Generator.Tests.Numerics;

/// <summary>
/// The generated forward and backward passes against float64 central differences of an independent
/// reference: every parameter's gradient of every model, for every activation and every loss option.
/// </summary>
public class GradientTests
{
    private const int Batch = 6;

    public enum Targets { Regression, Labels, OneHot, Binary }

    private static readonly ReferenceLayer[] TanhGeluLayers = [new(5, 4, Activation.Tanh, true), new(4, 3, Activation.Gelu, false), new(3, 2, Activation.Linear, true)];

    [Fact]
    public void Tanh_gelu_without_bias_and_mean_squared_error() =>
        Check(new TanhGeluMse(seed: 1), TanhGeluLayers, new ReferenceLoss(LossKind.MeanSquaredError), Targets.Regression);

    [Fact]
    public void Tanh_gelu_and_mean_squared_error_with_sample_weights() =>
        Check(new TanhGeluMse(seed: 2), TanhGeluLayers, new ReferenceLoss(LossKind.MeanSquaredError), Targets.Regression, weighted: true);

    [Fact]
    public void Relu_elu_softmax_and_sparse_categorical_crossentropy() =>
        Check(new ReluEluSoftmaxSparse(seed: 3),
            [new(4, 5, Activation.Relu, true), new(5, 4, Activation.Elu, true), new(4, 3, Activation.Softmax, true)],
            new ReferenceLoss(LossKind.SparseCategoricalCrossentropy), Targets.Labels, weighted: true);

    [Fact]
    public void Selu_softplus_and_categorical_crossentropy_from_logits_with_label_smoothing() =>
        Check(new SeluSoftplusCategoricalLogits(seed: 4),
            [new(3, 4, Activation.Selu, true), new(4, 4, Activation.Softplus, true), new(4, 3, Activation.Linear, true)],
            new ReferenceLoss(LossKind.CategoricalCrossentropy, FromLogits: true, LabelSmoothing: 0.1), Targets.OneHot, weighted: true);

    [Fact]
    public void Swish_leaky_relu_sigmoid_and_binary_crossentropy_with_label_smoothing() =>
        Check(new SwishLeakySigmoidBinary(seed: 5),
            [new(4, 3, Activation.Swish, true), new(3, 5, Activation.LeakyRelu, true), new(5, 2, Activation.Sigmoid, true)],
            new ReferenceLoss(LossKind.BinaryCrossentropy, LabelSmoothing: 0.2), Targets.Binary);

    [Fact]
    public void Sigmoid_hidden_and_binary_crossentropy_from_logits_with_sample_weights() =>
        Check(new SigmoidBinaryLogits(seed: 6),
            [new(3, 4, Activation.Sigmoid, true), new(4, 1, Activation.Linear, true)],
            new ReferenceLoss(LossKind.BinaryCrossentropy, FromLogits: true), Targets.Binary, weighted: true);

    [Fact]
    public void Softmax_hidden_layer_and_huber_with_sum_reduction() =>
        Check(new SoftmaxHiddenHuberSum(seed: 7),
            [new(3, 4, Activation.Softmax, true), new(4, 2, Activation.Linear, true)],
            new ReferenceLoss(LossKind.Huber, Delta: 0.5, Reduction: Reduction.Sum), Targets.Regression, targetScale: 1.5);

    [Fact]
    public void Mean_absolute_error_divided_by_the_sum_of_weights() =>
        Check(new MaeWeighted(seed: 8),
            [new(3, 3, Activation.Relu, true), new(3, 2, Activation.Linear, true)],
            new ReferenceLoss(LossKind.MeanAbsoluteError, Reduction: Reduction.MeanWithSampleWeight), Targets.Regression, weighted: true);

    [Fact]
    public void Categorical_crossentropy_on_probabilities_through_renormalisation() =>
        Check(new SoftmaxCategoricalProbabilities(seed: 9),
            [new(4, 3, Activation.Tanh, true), new(3, 3, Activation.Softmax, true)],
            new ReferenceLoss(LossKind.CategoricalCrossentropy), Targets.OneHot);

    private static void Check(IModel model, ReferenceLayer[] layers, ReferenceLoss loss, Targets targets, bool weighted = false, double targetScale = 1)
    {
        var random = new Random(1234);
        int inputs = layers[0].Inputs, outputs = layers[^1].Units;
        float[] x = new float[Batch * inputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        float[] y = MakeTargets(targets, outputs, random, targetScale);
        float[]? w = weighted ? Enumerable.Range(0, Batch).Select(i => (float)(0.25 + random.NextDouble() * 2)).ToArray() : null;
        // Biases start at zero; move them so the bias gradients are tested away from special points.
        model.Perturb(random);

        float loss32 = model.ComputeGradients(x, y, w, Batch);
        float[] analytic = model.GradientValues();

        double[] p = model.Weights().Select(v => (double)v).ToArray();
        double[] xd = x.Select(v => (double)v).ToArray(), yd = y.Select(v => (double)v).ToArray();
        double[]? wd = w?.Select(v => (double)v).ToArray();
        double loss64 = Reference.Loss(layers, loss, p, xd, yd, wd, Batch);
        Assert.True(Math.Abs(loss32 - loss64) <= 1e-5 + 1e-4 * Math.Abs(loss64), $"loss {loss32} vs float64 reference {loss64}");

        CentralDifferences.AssertGradients(analytic, p, q => Reference.Loss(layers, loss, q, xd, yd, wd, Batch));
    }

    private static float[] MakeTargets(Targets kind, int outputs, Random random, double scale)
    {
        switch (kind)
        {
            case Targets.Labels:
                return Enumerable.Range(0, Batch).Select(i => (float)(i % outputs)).ToArray();
            case Targets.OneHot:
            {
                var y = new float[Batch * outputs];
                for (int i = 0; i < Batch; i++) y[i * outputs + random.Next(outputs)] = 1;
                return y;
            }
            case Targets.Binary:
                return Enumerable.Range(0, Batch * outputs).Select(_ => (float)random.Next(2)).ToArray();
            default:
                return Enumerable.Range(0, Batch * outputs).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        }
    }
}
