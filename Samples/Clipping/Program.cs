// Gradient clipping keeps a few wild samples from throwing the weights far away. The training data have
// 5 outliers whose targets are 100,000 instead of about ±5; the test data have none.
using Gen;
using Gen.Samples.Clipping;
using static System.FormattableString;

var (xTrain, yTrain) = Make(1000, seed: 1);
int[] outliers = [3, 200, 400, 600, 800]; // sample 3 is in the first batch of 32
foreach (int i in outliers) yTrain[i] = 100_000f;
var (xTest, yTest) = Make(200, seed: 2);

// For the first step: the norm of the gradient before clipping and of the one applied; then the test loss after
// 10 epochs. TerminateOnNaN ends a run whose loss is no longer a number.
Console.WriteLine("model               |g| before clipping  |g| applied  test mse");
Report("no clipping", new Unclipped(seed: 42));
Report("ClipValue = 0.5", new ValueClipped(seed: 42));
Report("ClipNorm = 5", new NormClipped(seed: 42));
Report("GlobalClipNorm = 5", new GlobalNormClipped(seed: 42));

void Report(string name, IModel model)
{
    // The first step by hand: ComputeGradients leaves the raw gradient (clipping happens inside the optimizer's
    // update), then ApplyGradients applies it. With plain SGD the update is Δw = −η·clip(g), so |Δw|/η is the norm
    // of the gradient actually applied. Weights and gradients are read by copies.
    float[] firstX = Rows(xTrain, 0, 32), firstY = yTrain[..32];
    float[] gradients = new float[model.ParameterCount], start = new float[model.ParameterCount], weights = new float[model.ParameterCount];
    model.ComputeGradients(firstX, firstY, sampleWeight: default, batch: 32);
    model.CopyGradientsTo(gradients);
    double before = Norm(gradients);
    model.CopyParametersTo(start);
    model.ApplyGradients();
    model.CopyParametersTo(weights);
    double applied = Distance(weights, start) / 0.01;

    // Then Fit goes on from there.
    History history = Trainer.Fit(model, xTrain, yTrain, epochs: 10, batchSize: 32, seed: 42, verbose: 0, callbacks: [new TerminateOnNaN()]);
    Evaluation test = Trainer.Evaluate(model, xTest, yTest);
    model.CopyParametersTo(weights);
    string note = IsFinite(weights) ? "" : Invariant($"  (weights not finite; stopped in epoch {history.Epochs})");
    Console.WriteLine(Invariant($"{name,-20}{before,19:F1}  {applied,11:F2}  {test.Loss,8:G4}{note}"));
}

static bool IsFinite(ReadOnlySpan<float> values)
{
    foreach (float v in values) if (!float.IsFinite(v)) return false;
    return true;
}

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

// Rows [start, start + count) of a matrix, flattened row by row (the layout the span-based steps take).
static float[] Rows(float[,] matrix, int start, int count)
{
    int width = matrix.GetLength(1);
    var rows = new float[count * width];
    Buffer.BlockCopy(matrix, start * width * sizeof(float), rows, 0, rows.Length * sizeof(float));
    return rows;
}

// The data of Samples/Regression: 10 standard-normal features and y = X·w + 0.5.
static (float[,] X, float[] Y) Make(int n, int seed)
{
    float[] w = [0.5f, -1f, 2f, 0f, 1.5f, -0.5f, 0.25f, -2f, 1f, 0.75f];
    var random = new Random(seed);
    var x = new float[n, w.Length];
    var y = new float[n];
    for (int i = 0; i < n; i++)
    {
        float sum = 0.5f;
        for (int j = 0; j < w.Length; j++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            x[i, j] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            sum += x[i, j] * w[j];
        }
        y[i] = sum;
    }
    return (x, y);
}
