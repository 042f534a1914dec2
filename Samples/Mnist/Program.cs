// Trains a digit classifier on 8,000 MNIST digits and tests it on 2,000 others.
using Gen;
using Gen.Datasets;
using Gen.Samples.Mnist;
using static System.FormattableString;

string data = Path.Combine(AppContext.BaseDirectory, "data");
float[,] images = Idx.ReadImages(Path.Combine(data, "mnist-10k-images-idx3-ubyte.gz")); // 10,000 × 784, in [0, 1]
int[] labels = Idx.ReadLabels(Path.Combine(data, "mnist-10k-labels-idx1-ubyte.gz"));

// The files are shuffled already: the first 8,000 digits train, the last 2,000 test.
float[,] xTrain = Rows(images, 0, 8000), xTest = Rows(images, 8000, 2000);
int[] yTrain = labels[..8000], yTest = labels[8000..];

var model = new MnistClassifier(seed: 42);
Console.WriteLine(MnistClassifier.Summary);
Console.WriteLine();

History history = model.Fit(xTrain, yTrain, epochs: 5, batchSize: 32, validationSplit: 0.1, seed: 42);
Console.WriteLine(Invariant($"validation accuracy by epoch: {string.Join(", ", history["val_sparse_categorical_accuracy"].Select(a => a.ToString("F4")))}"));

float[,] probabilities = model.Predict(xTest);
Console.WriteLine($"first test digits: {string.Join(" ", yTest[..12])}");
Console.WriteLine($"predicted:         {string.Join(" ", Enumerable.Range(0, 12).Select(i => ArgMax(probabilities, i)))}");

var result = model.Evaluate(xTest, yTest);
Console.WriteLine(Invariant($"test loss: {result.Loss:F4}"));
Console.WriteLine(Invariant($"test accuracy: {result.SparseCategoricalAccuracy:F4}"));

static float[,] Rows(float[,] source, int start, int count)
{
    int width = source.GetLength(1);
    var rows = new float[count, width];
    Buffer.BlockCopy(source, start * width * sizeof(float), rows, 0, count * width * sizeof(float));
    return rows;
}

static int ArgMax(float[,] rows, int row)
{
    int best = 0;
    for (int j = 1; j < rows.GetLength(1); j++) if (rows[row, j] > rows[row, best]) best = j;
    return best;
}
