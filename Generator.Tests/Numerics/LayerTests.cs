using Gen;

namespace Gen.Generator.Tests.Numerics;

[Model(InputShape = [4])]
[Dense(5, Activation.Tanh)]
[BatchNormalization(Momentum = 0.9)]
[Dense(3)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class WithBatchNorm;

[Model(InputShape = [4])]
[Dense(6, Activation.Relu)]
[Dropout(0.5)]
[Dense(2)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class WithDropout;

/// <summary>The seeds' normalised and regularised classifier, as a whole chain.</summary>
[Model(InputShape = [784])]
[Dense(256, Activation.Relu)]
[BatchNormalization]
[Dropout(0.3)]
[Dense(128, Activation.Relu)]
[BatchNormalization]
[Dropout(0.2)]
[Dense(64, Activation.Relu)]
[Dense(10)]
[Loss(LossKind.SparseCategoricalCrossentropy, FromLogits = true)]
[AdamW(LearningRate = 1e-3, GlobalClipNorm = 1.0)]
[Metrics(MetricKind.SparseCategoricalAccuracy, MetricKind.SparseTopKCategoricalAccuracy, TopK = 3)]
internal partial class RegularisedClassifier;

/// <summary>BatchNormalization and Dropout in generated models: gradients, modes and state.</summary>
public class LayerTests
{
    private const int Batch = 7;

    [Fact]
    public void Batch_normalisation_in_training_mode_has_the_gradient_of_float64_batch_statistics()
    {
        var model = new WithBatchNorm(seed: 3);
        var (x, y) = Data(4, 3);
        model.Perturb(new Random(5)); // move γ, β and biases off 1 and 0
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        double Reference(double[] q)
        {
            // Dense 4 -> 5 tanh (kernel 0, bias 20), BatchNorm (γ 25, β 30), Dense 5 -> 3 (kernel 35, bias 50), MSE.
            var h = new double[Batch, 5];
            for (int r = 0; r < Batch; r++)
                for (int j = 0; j < 5; j++)
                {
                    double z = q[20 + j];
                    for (int k = 0; k < 4; k++) z += x[r * 4 + k] * q[k * 5 + j];
                    h[r, j] = Math.Tanh(z);
                }
            for (int j = 0; j < 5; j++)
            {
                double mean = 0, variance = 0;
                for (int r = 0; r < Batch; r++) mean += h[r, j] / Batch;
                for (int r = 0; r < Batch; r++) variance += (h[r, j] - mean) * (h[r, j] - mean) / Batch; // biased, as Keras
                for (int r = 0; r < Batch; r++) h[r, j] = (h[r, j] - mean) / Math.Sqrt(variance + 1e-3) * q[25 + j] + q[30 + j];
            }
            double total = 0;
            for (int r = 0; r < Batch; r++)
                for (int j = 0; j < 3; j++)
                {
                    double o = q[50 + j];
                    for (int k = 0; k < 5; k++) o += h[r, k] * q[35 + k * 3 + j];
                    total += (o - y[r * 3 + j]) * (o - y[r * 3 + j]) / 3;
                }
            return total / Batch;
        }
        Assert.Equal(Reference(w), loss, 4);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void Dropout_in_training_mode_has_the_gradient_of_its_mask_and_inference_is_the_identity()
    {
        var model = new WithDropout(seed: 11);
        var (x, y) = Data(4, 2);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();
        // The mask of the first training step (step 0) of layer 1 under seed 11: Gen's documented Philox layout.
        var mask = new float[Batch * 6];
        Gen.Cpu.Dropout.Forward(Enumerable.Repeat(1f, Batch * 6).ToArray(), new float[Batch * 6], mask, 0.5f, 11, 0, 1, training: true);
        Assert.Contains(mask, m => m == 0f);
        Assert.Contains(mask, m => m == 2f);

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        double Reference(double[] q, bool training)
        {
            // Dense 4 -> 6 relu (kernel 0, bias 24), Dropout 0.5, Dense 6 -> 2 (kernel 30, bias 42), MSE.
            double total = 0;
            for (int r = 0; r < Batch; r++)
            {
                var h = new double[6];
                for (int j = 0; j < 6; j++)
                {
                    double z = q[24 + j];
                    for (int k = 0; k < 4; k++) z += x[r * 4 + k] * q[k * 6 + j];
                    h[j] = Math.Max(z, 0) * (training ? mask[r * 6 + j] : 1);
                }
                for (int j = 0; j < 2; j++)
                {
                    double o = q[42 + j];
                    for (int k = 0; k < 6; k++) o += h[k] * q[30 + k * 2 + j];
                    total += (o - y[r * 2 + j]) * (o - y[r * 2 + j]) / 2;
                }
            }
            return total / Batch;
        }
        Assert.Equal(Reference(w, training: true), loss, 4);
        CentralDifferences.AssertGradients(analytic, w, q => Reference(q, training: true));
        // Evaluate runs in inference mode: no mask.
        var xs = new float[Batch, 4];
        var ys = new float[Batch, 2];
        Buffer.BlockCopy(x, 0, xs, 0, x.Length * sizeof(float));
        Buffer.BlockCopy(y, 0, ys, 0, y.Length * sizeof(float));
        Assert.Equal(Reference(w, training: false), model.Evaluate(xs, ys).Loss, 4);
    }

    [Fact]
    public void Dropout_masks_are_reproducible_for_a_seed_and_change_with_it()
    {
        float[] Losses(int seed)
        {
            var model = new WithDropout(seed: 1);
            var reseeded = new WithDropout(seed: seed);
            reseeded.SetParameters(model.Weights()); // same weights, dropout keyed by `seed`
            var (x, y) = Data(4, 2);
            return Enumerable.Range(0, 5).Select(_ => reseeded.TrainStep(x, y, default, Batch)).ToArray();
        }
        Assert.Equal(Losses(21), Losses(21));
        Assert.NotEqual(Losses(21), Losses(22));
    }

    [Fact]
    public void Batch_normalisation_updates_its_moving_statistics_as_keras_and_uses_them_in_inference()
    {
        var model = new WithBatchNorm(seed: 2);
        var (x, y) = Data(4, 3);
        // The tanh layer's outputs, computed from the float parameters as the model does.
        var h = new double[Batch, 5];
        var p = model.Weights();
        for (int r = 0; r < Batch; r++)
            for (int j = 0; j < 5; j++)
            {
                double z = p[20 + j];
                for (int k = 0; k < 4; k++) z += x[r * 4 + k] * p[k * 5 + j];
                h[r, j] = Math.Tanh(z);
            }
        model.ComputeGradients(x, y, default, Batch); // a training forward: no update of the weights yet
        for (int j = 0; j < 5; j++)
        {
            double mean = 0, variance = 0;
            for (int r = 0; r < Batch; r++) mean += h[r, j] / Batch;
            for (int r = 0; r < Batch; r++) variance += (h[r, j] - mean) * (h[r, j] - mean) / Batch;
            Assert.Equal(0.9 * 0 + 0.1 * mean, model.StateValues()[j], 5);          // momentum weighs the old value
            Assert.Equal(0.9 * 1 + 0.1 * variance, model.StateValues()[5 + j], 5);   // the biased variance is stored
        }
        // Inference normalises with the moving statistics: a single sample gives a finite, batch-independent answer.
        var one = new float[1, 4];
        for (int k = 0; k < 4; k++) one[0, k] = x[k];
        float[,] alone = model.Predict(one);
        float[,] inBatch = model.Predict(Matrix(x, 4));
        for (int j = 0; j < 3; j++) Assert.Equal(alone[0, j], inBatch[0, j]);
    }

    [Fact]
    public void The_seeds_regularised_classifier_trains_on_mnist_digits()
    {
        string data = Path.Combine(ConvergenceTests.RepositoryRoot(), "Samples", "Mnist", "data");
        float[,] images = Gen.Datasets.Idx.ReadImages(Path.Combine(data, "mnist-10k-images-idx3-ubyte.gz"));
        int[] labels = Gen.Datasets.Idx.ReadLabels(Path.Combine(data, "mnist-10k-labels-idx1-ubyte.gz"));
        var x = new float[2000, 784];
        var xTest = new float[500, 784];
        Buffer.BlockCopy(images, 0, x, 0, 2000 * 784 * sizeof(float));
        Buffer.BlockCopy(images, 9500 * 784 * sizeof(float), xTest, 0, 500 * 784 * sizeof(float));
        var model = new RegularisedClassifier(seed: 4);
        var history = model.Fit(x, labels[..2000], epochs: 3, batchSize: 32, seed: 1, verbose: 0);
        var result = model.Evaluate(xTest, labels[^500..]);
        Assert.True(history["loss"][2] < history["loss"][0]);
        Assert.True(result.SparseCategoricalAccuracy > 0.85f, $"accuracy {result.SparseCategoricalAccuracy}");
        Assert.True(result.SparseTopKCategoricalAccuracy >= result.SparseCategoricalAccuracy);
    }

    private static float[,] Matrix(float[] flat, int width)
    {
        var m = new float[flat.Length / width, width];
        Buffer.BlockCopy(flat, 0, m, 0, flat.Length * sizeof(float));
        return m;
    }

    private static (float[] X, float[] Y) Data(int inputs, int outputs)
    {
        var random = new Random(inputs * 10 + outputs);
        var x = Enumerable.Range(0, Batch * inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, Batch * outputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return (x, y);
    }

    [Fact]
    public void Top_k_in_the_metrics_attribute_sets_k()
    {
        var metrics = new RegularisedClassifier(seed: 1).CreateMetrics();
        Assert.Equal(3, Assert.IsType<SparseTopKCategoricalAccuracyMetric>(metrics[1]).K);
        Assert.Equal(5, new SparseTopKCategoricalAccuracyMetric().K);
    }

    [Fact]
    public void The_moving_statistics_are_the_models_state_for_callbacks()
    {
        IModel model = new WithBatchNorm(seed: 1);
        Assert.Equal(10, model.StateCount); // moving mean and variance of 5 features
        Assert.Equal(1f, model.StateValues()[5]);    // the moving variance starts at 1
        Assert.Equal(0, ((IModel)new WithDropout(seed: 1)).StateCount);
    }
}
