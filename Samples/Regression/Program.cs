// Fits y = X·w + 0.5 on 1,000 standard-normal samples of 10 features, then tests on fresh samples.
using Gen;
using Gen.Samples.Regression;
using static System.FormattableString;

float[] w = [0.5f, -1f, 2f, 0f, 1.5f, -0.5f, 0.25f, -2f, 1f, 0.75f];
var (xTrain, yTrain) = Make(1000, seed: 1);
var (xTest, yTest) = Make(200, seed: 2);

var model = new Regressor(seed: 42);
Console.WriteLine(Regressor.Summary);
Console.WriteLine();

History history = model.Fit(xTrain, yTrain, epochs: 10, batchSize: 32, validationSplit: 0.2, seed: 42);
Console.WriteLine(Invariant($"val_loss: {history["val_loss"][0]:F4} after epoch 1, {history["val_loss"][^1]:F4} after epoch {history.Epochs}"));

var result = model.Evaluate(xTest, yTest);
Console.WriteLine(Invariant($"test mse: {result.Loss:F4}  test mae: {result.MeanAbsoluteError:F4}"));

float[,] predictions = model.Predict(xTest);
Console.WriteLine("prediction   target");
for (int i = 0; i < 5; i++) Console.WriteLine(Invariant($"{predictions[i, 0],10:F4}  {yTest[i],7:F4}"));

// n samples of 10 standard-normal features (Box–Muller over a seeded System.Random) and y = X·w + 0.5.
(float[,] X, float[] Y) Make(int n, int seed)
{
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
