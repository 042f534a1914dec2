// Gradient accumulation: when a batch of 32 does not fit (in memory, say), take 4 batches of 8 and update once
// with the mean of their gradients. With a mean loss that is the gradient of the batch of 32 they make up.
using Gen;
using Gen.Samples.GradientAccumulation;
using static System.FormattableString;

const int features = 4;
var (x, y) = Blobs(1024, seed: 1); // row-major: 1,024 × 4 floats, and 1,024 labels (as floats)
float[,] xMatrix = To2D(x, features); // the same samples as a matrix, for Fit and Evaluate

// 1. The optimizer counts every call but updates on every 4th: Iterations counts updates.
var accumulating = new AccumulatingClassifier(seed: 42);
Console.WriteLine("call  Iterations  weights changed");
for (int call = 1; call <= 8; call++)
{
    float first = Weights(accumulating)[0];
    int start = (call - 1) * 8;
    accumulating.TrainStep(x.AsSpan(start * features, 8 * features), y.AsSpan(start, 8), default, batch: 8);
    Console.WriteLine(Invariant($"{call,4}  {accumulating.Optimizer.Iterations,10}  {Weights(accumulating)[0] != first,15}"));
}

// 2. One epoch of Fit: batches of 8 with accumulation against batches of 32 without. Both make 32 updates,
//    and since Fit shuffles the 1,024 samples the same way for the same seed, each group of 4 small batches
//    holds the samples of one large batch: the two end with the same weights, up to float rounding.
accumulating = new AccumulatingClassifier(seed: 42);
var plain = new Classifier(seed: 42);
accumulating.Fit(xMatrix, y, epochs: 1, batchSize: 8, seed: 7, verbose: 0);
plain.Fit(xMatrix, y, epochs: 1, batchSize: 32, seed: 7, verbose: 0);
Console.WriteLine();
Console.WriteLine(Invariant($"batch 8, accumulating 4: {1024 / 8} calls, Optimizer.Iterations = {accumulating.Optimizer.Iterations}"));
Console.WriteLine(Invariant($"batch 32:                {1024 / 32} calls, Optimizer.Iterations = {plain.Optimizer.Iterations}"));
Console.WriteLine(Invariant($"largest difference between their weights: {MaxDifference(Weights(accumulating), Weights(plain)):0.0E+0}"));

// 3. The same by hand, for a model without the option: sum the gradients of 4 batches of 8 in a buffer of your
//    own, set their mean as the model's gradients, and apply once. Checked against batches of 32 in the same order.
var byHand = new Classifier(seed: 42);
var reference = new Classifier(seed: 42);
float[] sum = new float[byHand.ParameterCount], gradients = new float[byHand.ParameterCount];
for (int start = 0; start < 1024; start += 32)
{
    Array.Clear(sum);
    for (int micro = start; micro < start + 32; micro += 8)
    {
        byHand.ComputeGradients(x.AsSpan(micro * features, 8 * features), y.AsSpan(micro, 8), default, batch: 8);
        byHand.CopyGradientsTo(gradients);
        for (int i = 0; i < sum.Length; i++) sum[i] += gradients[i];
    }
    for (int i = 0; i < sum.Length; i++) gradients[i] = sum[i] / 4;
    byHand.SetGradients(gradients);
    byHand.ApplyGradients();

    reference.TrainStep(x.AsSpan(start * features, 32 * features), y.AsSpan(start, 32), default, batch: 32);
}
Console.WriteLine();
Console.WriteLine(Invariant($"by hand: {byHand.Optimizer.Iterations} updates; largest difference from batches of 32: {MaxDifference(Weights(byHand), Weights(reference)):0.0E+0}"));
var result = byHand.Evaluate(xMatrix, y);
Console.WriteLine(Invariant($"after one epoch: loss {result.Loss:F4}, accuracy {result.SparseCategoricalAccuracy:F4}"));

// Weights cross the model boundary by copies.
static float[] Weights(IModel model)
{
    var weights = new float[model.ParameterCount];
    model.CopyParametersTo(weights);
    return weights;
}

static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
{
    float max = 0;
    for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
    return max;
}

static float[,] To2D(float[] rows, int width)
{
    var matrix = new float[rows.Length / width, width];
    Buffer.BlockCopy(rows, 0, matrix, 0, rows.Length * sizeof(float));
    return matrix;
}

// n samples of 4 features, flattened: class c is a unit-variance Gaussian around 1.5 on axis c. Labels are
// stored as floats holding whole numbers, the form the span-based steps take.
static (float[] X, float[] Y) Blobs(int n, int seed)
{
    var random = new Random(seed);
    var x = new float[n * 4];
    var y = new float[n];
    for (int i = 0; i < n; i++)
    {
        int label = random.Next(3);
        y[i] = label;
        for (int j = 0; j < 4; j++)
        {
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            x[i * 4 + j] = (j == label ? 1.5f : 0f) + (float)gaussian;
        }
    }
    return (x, y);
}
