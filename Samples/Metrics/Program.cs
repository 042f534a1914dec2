// Metrics: the built-in ones named in [Metrics(...)], a custom one, and top-k accuracy.
using System.Runtime.InteropServices;
using Gen;
using Gen.Samples.Metrics;
using static System.FormattableString;

// 1. A binary classifier. Fewer than half of the points are positive, and the classes overlap, so precision
//    and recall differ and neither is 1.
var (xTrain, yTrain) = Binary(2000, seed: 1);
var (xTest, yTest) = Binary(1000, seed: 2);
Console.WriteLine($"positive test samples: {yTest.Count(label => label == 1)} of {yTest.Length}");
var binary = new BinaryClassifier(seed: 42);
binary.Fit(xTrain, yTrain, epochs: 10, batchSize: 32, seed: 42, verbose: 0);
var result = binary.Evaluate(xTest, yTest); // one property per metric, in the declared order
Console.WriteLine(Invariant($"loss {result.Loss:F4}  accuracy {result.BinaryAccuracy:F4}  precision {result.Precision:F4}  recall {result.Recall:F4}  auc {result.Auc:F4}"));

// The custom metric, named in [Metrics(Custom = [typeof(F1Score)])], is reported like the built-in ones...
Console.WriteLine(Invariant($"f1 score from Evaluate: {result.F1Score:F6}"));

// ...and works on its own on any predictions: here the whole test set's, in one update.
float[,] probabilities = binary.Predict(xTest);
var f1 = new F1Score();
f1.Update(MemoryMarshal.CreateReadOnlySpan(ref probabilities[0, 0], probabilities.Length), yTest, sampleWeight: default, batch: yTest.Length);
float expected = 2 * result.Precision * result.Recall / (result.Precision + result.Recall);
Console.WriteLine(Invariant($"{f1.Name}: {f1.Result():F6}; 2PR/(P+R) from the evaluation: {expected:F6}"));

// 2. Ten classes, centred on a circle and overlapping their neighbours: often the top guess is a neighbour of
//    the true class, and top-5 accuracy is well above top-1.
var (xTen, yTen) = Circle(3000, seed: 3);
var (xTenTest, yTenTest) = Circle(1000, seed: 4);
var ten = new TenClassClassifier(seed: 42);
ten.Fit(xTen, yTen, epochs: 10, batchSize: 32, seed: 42, verbose: 0);
var tenResult = ten.Evaluate(xTenTest, yTenTest);
Console.WriteLine();
Console.WriteLine(Invariant($"10 classes: accuracy {tenResult.CategoricalAccuracy:F4}, top-5 accuracy {tenResult.TopKCategoricalAccuracy:F4}"));

// The attribute's top-k metric has k = 5; the metric class takes any k.
float[,] tenProbabilities = ten.Predict(xTenTest);
var flatProbabilities = MemoryMarshal.CreateReadOnlySpan(ref tenProbabilities[0, 0], tenProbabilities.Length);
var flatTargets = MemoryMarshal.CreateReadOnlySpan(ref yTenTest[0, 0], yTenTest.Length);
for (int k = 1; k <= 5; k++)
{
    var topK = new TopKCategoricalAccuracyMetric(k);
    topK.Update(flatProbabilities, flatTargets, default, batch: 1000);
    Console.WriteLine(Invariant($"  top-{k} accuracy: {topK.Result():F4}"));
}

// n points in [−1, 1]²; the chance of being positive rises steeply with x0 + 2·x1 − 0.5.
static (float[,] X, float[] Y) Binary(int n, int seed)
{
    var random = new Random(seed);
    var x = new float[n, 2];
    var y = new float[n];
    for (int i = 0; i < n; i++)
    {
        x[i, 0] = (float)(2 * random.NextDouble() - 1);
        x[i, 1] = (float)(2 * random.NextDouble() - 1);
        double p = 1 / (1 + Math.Exp(-4 * (x[i, 0] + 2 * x[i, 1] - 0.5)));
        y[i] = random.NextDouble() < p ? 1 : 0;
    }
    return (x, y);
}

// n points: class c is a Gaussian blob (σ 0.35) around angle 2πc/10 on the unit circle; targets one-hot.
static (float[,] X, float[,] Y) Circle(int n, int seed)
{
    var random = new Random(seed);
    var x = new float[n, 2];
    var y = new float[n, 10];
    for (int i = 0; i < n; i++)
    {
        int c = random.Next(10);
        double angle = 2 * Math.PI * c / 10;
        x[i, 0] = (float)(Math.Cos(angle) + 0.35 * Gaussian(random));
        x[i, 1] = (float)(Math.Sin(angle) + 0.35 * Gaussian(random));
        y[i, c] = 1;
    }
    return (x, y);
}

// A standard normal draw (Box–Muller).
static double Gaussian(Random random) =>
    Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
