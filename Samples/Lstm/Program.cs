// The seeds' LSTM classifier on synthetic sequences: is the first feature's running sum positive more often than
// not? The label depends on the whole sequence in order, so the model has to carry state across timesteps.
using Gen;
using Gen.Samples.Lstm;
using static System.FormattableString;

var (xTrain, yTrain) = Make(800, seed: 1);
var (xTest, yTest) = Make(200, seed: 2);

var model = new SequenceClassifier(seed: 42);
Console.WriteLine(SequenceClassifier.Summary);
Console.WriteLine();

// x is (samples, timesteps, features), flattened per sample: float[samples][50 × 10].
var history = model.Fit(xTrain, yTrain, epochs: 12, batchSize: 32, validationSplit: 0.2, seed: 42,
    callbacks: [new EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)]);
var result = model.Evaluate(xTest, yTest);
Console.WriteLine(Invariant($"trained {history.Epochs} epochs; test loss {result.Loss:F4}, auc {result.Auc:F4}"));
Console.WriteLine(Invariant($"test accuracy: {result.BinaryAccuracy:F4}"));

// Each sequence: 50 steps of 10 standard-normal-ish features; label 1 when the running sum of feature 0 is
// positive on more than half of the steps.
static (float[][] X, float[] Y) Make(int n, int seed)
{
    var random = new Random(seed);
    var x = new float[n][];
    var y = new float[n];
    for (int i = 0; i < n; i++)
    {
        x[i] = new float[50 * 10];
        double sum = 0;
        int positive = 0;
        for (int t = 0; t < 50; t++)
        {
            for (int f = 0; f < 10; f++) x[i][t * 10 + f] = (float)(random.NextDouble() * 2 - 1);
            sum += x[i][t * 10];
            if (sum > 0) positive++;
        }
        y[i] = positive > 25 ? 1 : 0;
    }
    return (x, y);
}
