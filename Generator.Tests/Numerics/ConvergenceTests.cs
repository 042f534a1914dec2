using Gen;
using Gen.Datasets;

namespace Gen.Generator.Tests.Numerics;

/// <summary>The MNIST sample's architecture: 784 → 128 relu → 10 softmax.</summary>
[Model(InputShape = [784])]
[Dense(128, Activation.Relu)]
[Dense(10, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Adam(LearningRate = 1e-3)]
[Metrics(MetricKind.SparseCategoricalAccuracy)]
internal partial class MnistCheck;

/// <summary>The regression sample's architecture.</summary>
[Model(InputShape = [10])]
[Dense(64, Activation.Relu)]
[Dense(32, Activation.Relu)]
[Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Adam(LearningRate = 1e-3)]
[Metrics(MetricKind.MeanAbsoluteError, MetricKind.RootMeanSquaredError)]
internal partial class RegressionCheck;

/// <summary>Whole training runs that must converge.</summary>
public class ConvergenceTests
{
    [Fact]
    public void The_mnist_model_reaches_90_percent_on_held_out_digits_within_three_epochs()
    {
        string data = Path.Combine(RepositoryRoot(), "Samples", "Mnist", "data");
        float[,] images = Idx.ReadImages(Path.Combine(data, "mnist-10k-images-idx3-ubyte.gz"));
        int[] labels = Idx.ReadLabels(Path.Combine(data, "mnist-10k-labels-idx1-ubyte.gz"));
        const int train = 4000, test = 1000;
        var xTrain = new float[train, 784];
        var xTest = new float[test, 784];
        Buffer.BlockCopy(images, 0, xTrain, 0, train * 784 * sizeof(float));
        Buffer.BlockCopy(images, (10_000 - test) * 784 * sizeof(float), xTest, 0, test * 784 * sizeof(float));

        var model = new MnistCheck(seed: 7);
        var history = model.Fit(xTrain, labels[..train], epochs: 3, batchSize: 32, seed: 1, verbose: 0);
        var result = model.Evaluate(xTest, labels[^test..]);

        Assert.True(history["loss"][2] < history["loss"][0], $"training loss did not fall: {string.Join(", ", history["loss"])}");
        Assert.True(result.SparseCategoricalAccuracy >= 0.90f, $"test accuracy {result.SparseCategoricalAccuracy}");
        // Keras's accuracy is the fraction of argmax hits; recompute it from Predict.
        float[,] p = model.Predict(xTest);
        int hits = 0;
        for (int i = 0; i < test; i++)
        {
            int best = 0;
            for (int j = 1; j < 10; j++) if (p[i, j] > p[i, best]) best = j;
            if (best == labels[10_000 - test + i]) hits++;
        }
        Assert.Equal(hits / (float)test, result.SparseCategoricalAccuracy, 5);
    }

    [Fact]
    public void The_regression_model_learns_a_linear_map_with_validation_split()
    {
        var random = new Random(3);
        const int n = 1000;
        var w = Enumerable.Range(0, 10).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var x = new float[n, 10];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0.5;
            for (int j = 0; j < 10; j++) s += w[j] * (x[i, j] = (float)Normal(random));
            y[i] = (float)s;
        }
        var model = new RegressionCheck(seed: 42);
        var history = model.Fit(x, y, epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0);

        Assert.Equal(["loss", "mean_absolute_error", "root_mean_squared_error", "val_loss", "val_mean_absolute_error", "val_root_mean_squared_error", "learning_rate"], history.Keys);
        Assert.Equal(20, history["val_loss"].Count);
        Assert.True(history["val_loss"][19] < 0.05f * history["val_loss"][0], $"validation loss: {string.Join(", ", history["val_loss"])}");
        var result = model.Evaluate(x, y);
        Assert.Equal(MathF.Sqrt(result.Loss), result.RootMeanSquaredError, 4); // MSE loss and RMSE metric agree
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gen.sln"))) return dir.FullName;
        throw new InvalidOperationException("Gen.sln not found above " + AppContext.BaseDirectory);
    }
}
