// Learning-rate schedules: each is a function from the optimizer's step (0 for the first update) to a rate.
// First a table of what each built-in schedule gives, then one written by hand, then a model trained with one.
using Gen;
using Gen.Samples.Schedules;
using static System.FormattableString;

long[] steps = [0, 1, 10, 100, 1000, 10000];
Console.WriteLine($"{"step",-34}{string.Join("", steps.Select(s => $"{s,11}"))}");
Show("ExponentialDecay", new ExponentialDecay(0.1, decaySteps: 1000, decayRate: 0.5));
Show("ExponentialDecay, staircase", new ExponentialDecay(0.1, decaySteps: 1000, decayRate: 0.5, staircase: true));
Show("PiecewiseConstantDecay", new PiecewiseConstantDecay(boundaries: [100, 1000], values: [0.1f, 0.01f, 0.001f]));
Show("PolynomialDecay (linear)", new PolynomialDecay(0.1, decaySteps: 1000, endLearningRate: 0.001));
Show("InverseTimeDecay", new InverseTimeDecay(0.1, decaySteps: 1000, decayRate: 1));
Show("CosineDecay", new CosineDecay(0.1, decaySteps: 1000));
Show("CosineDecay, 100 warmup steps", new CosineDecay(0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100));
Show("CosineDecayRestarts", new CosineDecayRestarts(0.1, firstDecaySteps: 100)); // periods of 100, 200, 400, ... steps
Show("WarmupCosine (ours)", new WarmupCosine(peak: 0.1, warmupSteps: 100, totalSteps: 1000));

// A step exactly on a boundary keeps the earlier value: the rate changes on the step after it.
var piecewise = new PiecewiseConstantDecay(boundaries: [100, 1000], values: [0.1f, 0.01f, 0.001f]);
Console.WriteLine();
Console.WriteLine("PiecewiseConstantDecay around its boundaries 100 and 1000:");
foreach (long step in (long[])[99, 100, 101, 999, 1000, 1001])
    Console.WriteLine(Invariant($"  step {step,4}: {piecewise.GetLearningRate(step)}"));

// Training with a schedule: assign it to the model's optimizer. From then on the optimizer asks it for the rate
// of every update; the rate in the attribute is no longer used.
var (xTrain, yTrain) = Make(800, seed: 1);
var model = new Regressor(seed: 42);
const int epochs = 10, batchSize = 32, stepsPerEpoch = 800 / batchSize; // 25 updates per epoch, 250 in all
model.Optimizer.Schedule = new WarmupCosine(peak: 0.01, warmupSteps: 2 * stepsPerEpoch, totalSteps: epochs * stepsPerEpoch);
History history = model.Fit(xTrain, yTrain, epochs, batchSize, seed: 42, verbose: 0);

// History["learning_rate"] records the optimizer's rate at the end of each epoch: the schedule at the step count
// reached, (epoch + 1) × 25, the rate the next update would use.
Console.WriteLine();
Console.WriteLine("epoch  learning_rate  schedule(step)     loss");
for (int epoch = 0; epoch < history.Epochs; epoch++)
{
    long step = (epoch + 1L) * stepsPerEpoch;
    Console.WriteLine(Invariant($"{epoch + 1,5}  {history["learning_rate"][epoch],13:G5}  {model.Optimizer.Schedule.GetLearningRate(step),14:G5}  {history["loss"][epoch],7:F4}"));
}
Console.WriteLine(Invariant($"updates applied: {model.Optimizer.Iterations}"));

void Show(string name, LearningRateSchedule schedule) =>
    Console.WriteLine(Invariant($"{name,-34}{string.Join("", steps.Select(s => $"{schedule.GetLearningRate(s),11:G4}"))}"));

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
