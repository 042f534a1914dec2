// The seeds' regularised classifier on MNIST: BatchNormalization and Dropout between Dense layers, AdamW with a
// cosine learning-rate schedule and global gradient clipping, and EarlyStopping that restores the best weights.
using Gen;
using Gen.Datasets;
using Gen.Samples.Classifier;
using static System.FormattableString;

string data = Path.Combine(AppContext.BaseDirectory, "data");
float[,] images = Idx.ReadImages(Path.Combine(data, "mnist-10k-images-idx3-ubyte.gz"));
int[] labels = Idx.ReadLabels(Path.Combine(data, "mnist-10k-labels-idx1-ubyte.gz"));
float[,] xTrain = Rows(images, 0, 8000), xTest = Rows(images, 8000, 2000);
int[] yTrain = labels[..8000], yTest = labels[8000..];

var model = new RegularisedClassifier(seed: 42);
Console.WriteLine(RegularisedClassifier.Summary);
Console.WriteLine();

// 8,000 digits with a 10% validation split and batches of 64: 113 steps an epoch. The cosine schedule decays
// over 15 epochs. (ReduceLROnPlateau needs a plain learning rate, as in Keras: see Samples/Callbacks.)
model.Optimizer.Schedule = new CosineDecay(1e-3, decaySteps: 15 * 113, alpha: 0.05);
var history = model.Fit(xTrain, yTrain, epochs: 15, batchSize: 64, validationSplit: 0.1, seed: 42,
    callbacks: [new EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)]);
Console.WriteLine(Invariant($"trained {history.Epochs} epochs; learning rate at the end {history["learning_rate"][^1]:E2}"));

// Evaluate and Predict run in inference mode: no dropout, moving statistics in the normalisation layers.
var result = model.Evaluate(xTest, yTest);
Console.WriteLine(Invariant($"test loss: {result.Loss:F4}  top-3 accuracy: {result.SparseTopKCategoricalAccuracy:F4}"));
Console.WriteLine(Invariant($"test accuracy: {result.SparseCategoricalAccuracy:F4}"));

static float[,] Rows(float[,] source, int start, int count)
{
    int width = source.GetLength(1);
    var rows = new float[count, width];
    Buffer.BlockCopy(source, start * width * sizeof(float), rows, 0, count * width * sizeof(float));
    return rows;
}
