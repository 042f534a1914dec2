// A training loop written by hand instead of Fit: shuffle, cut batches, and for each batch
//     model.ComputeGradients(x, y, sampleWeight, batch)   forward, loss, backward: fills the model's gradients
//     model.ApplyGradients()                              the optimizer's update of the model's weights
// Between the two the gradients can be read and changed (CopyGradientsTo, SetGradients); between steps the
// learning rate can be set. Weights and gradients are read and written by copies, wherever the model runs.
using Gen;
using Gen.Samples.CustomLoop;
using static System.FormattableString;

const int features = 10, batchSize = 32;
var (x, y) = Make(1000, seed: 1); // row-major: x holds 1,000 × 10 floats, y 1,000
int n = y.Length;
float[] xBatch = new float[batchSize * features], yBatch = new float[batchSize];

// 1. Setting the learning rate by hand, then handing it to a schedule.
var model = new Regressor(seed: 42);
float[] before = new float[model.ParameterCount], after = new float[model.ParameterCount], gradients = new float[model.ParameterCount];
double lastRatio = 0; // |Δw|/|g| of the latest step
Console.WriteLine("epoch  CurrentLearningRate  first step's |Δw|/|g|  mean loss");
for (int epoch = 0; epoch < 9; epoch++)
{
    if (epoch == 3)
    {
        // The steps so far used 0.01; the next one uses 0.001.
        model.Optimizer.LearningRate = 0.001f;
        Console.WriteLine(Invariant($"       after step {model.Optimizer.Iterations} (|Δw|/|g| = {lastRatio:F5}): LearningRate = 0.001 for the steps to come"));
    }
    if (epoch == 6)
    {
        // A schedule takes over from the fixed rate (and LearningRate can no longer be assigned until
        // Schedule = null). It is asked at the optimizer's own step count, which does not restart: this cosine
        // spans the whole run, 9 epochs of 32 steps, and at step 192 has fallen from 0.01 to 0.0025.
        model.Optimizer.Schedule = new CosineDecay(0.01, decaySteps: 9 * 32);
    }
    float rate = model.Optimizer.CurrentLearningRate;
    double lossSum = 0, ratio = 0;
    int[] order = Shuffled(n, seed: epoch);
    for (int start = 0, step = 0; start < n; start += batchSize, step++)
    {
        int b = Math.Min(batchSize, n - start);
        Gather(order.AsSpan(start, b), xBatch, yBatch);
        float loss = model.ComputeGradients(xBatch.AsSpan(0, b * features), yBatch.AsSpan(0, b), sampleWeight: default, b);
        model.CopyParametersTo(before);
        model.ApplyGradients();
        model.CopyParametersTo(after);
        model.CopyGradientsTo(gradients);
        lastRatio = Distance(after, before) / Norm(gradients);
        if (step == 0) ratio = lastRatio;
        lossSum += loss * b;
    }
    Console.WriteLine(Invariant($"{epoch + 1,5}  {rate,19:G4}  {ratio,22:F5}  {lossSum / n,9:F4}"));
}
Console.WriteLine($"updates: {model.Optimizer.Iterations}");

// 2. Looking at the gradients before applying them: here the loop clips the global norm itself
//    (what GlobalClipNorm = 5 would do inside the optimizer) and counts how often it had to.
Console.WriteLine();
const float maxNorm = 5f;
model = new Regressor(seed: 42);
Console.WriteLine("epoch  largest |g|  steps clipped  mean loss");
for (int epoch = 0; epoch < 3; epoch++)
{
    double lossSum = 0, largest = 0;
    int clipped = 0;
    int[] order = Shuffled(n, seed: epoch);
    for (int start = 0; start < n; start += batchSize)
    {
        int b = Math.Min(batchSize, n - start);
        Gather(order.AsSpan(start, b), xBatch, yBatch);
        lossSum += model.ComputeGradients(xBatch.AsSpan(0, b * features), yBatch.AsSpan(0, b), default, b) * b;

        model.CopyGradientsTo(gradients);
        double norm = Norm(gradients);
        largest = Math.Max(largest, norm);
        if (norm > maxNorm)
        {
            foreach (ref float g in gradients.AsSpan()) g *= (float)(maxNorm / norm);
            model.SetGradients(gradients);
            clipped++;
        }
        model.ApplyGradients();
    }
    Console.WriteLine(Invariant($"{epoch + 1,5}  {largest,11:F3}  {clipped,10} / 32  {lossSum / n,9:F4}"));
}

// Copies the rows named in `rows` into the batch buffers.
void Gather(ReadOnlySpan<int> rows, float[] xb, float[] yb)
{
    for (int i = 0; i < rows.Length; i++)
    {
        x.AsSpan(rows[i] * features, features).CopyTo(xb.AsSpan(i * features));
        yb[i] = y[rows[i]];
    }
}

// 0 … n−1 in a random order (Fisher–Yates), the same for the same seed.
static int[] Shuffled(int n, int seed)
{
    var random = new Random(seed);
    int[] order = [.. Enumerable.Range(0, n)];
    for (int i = n - 1; i > 0; i--)
    {
        int j = random.Next(i + 1);
        (order[i], order[j]) = (order[j], order[i]);
    }
    return order;
}

// The L2 norm of a vector, and the distance between two.
static double Norm(ReadOnlySpan<float> v)
{
    double sum = 0;
    foreach (float value in v) sum += (double)value * value;
    return Math.Sqrt(sum);
}

static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
{
    double sum = 0;
    for (int i = 0; i < a.Length; i++) sum += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return Math.Sqrt(sum);
}

// The data of Samples/Regression, flattened: 10 standard-normal features per sample and y = x·w + 0.5.
static (float[] X, float[] Y) Make(int n, int seed)
{
    float[] w = [0.5f, -1f, 2f, 0f, 1.5f, -0.5f, 0.25f, -2f, 1f, 0.75f];
    var random = new Random(seed);
    var x = new float[n * w.Length];
    var y = new float[n];
    for (int i = 0; i < n; i++)
    {
        float sum = 0.5f;
        for (int j = 0; j < w.Length; j++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            x[i * w.Length + j] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            sum += x[i * w.Length + j] * w[j];
        }
        y[i] = sum;
    }
    return (x, y);
}
