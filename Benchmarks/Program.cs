// The benchmark jobs of BENCHMARKS.md (shared/), trained by Gen on the CPU. Usage:
//   dotnet run -c Release --project Benchmarks -- <mlp-small|mlp-wide|lstm|multi-output> [epochs] [--threads n]
// Prints one line: job=.. epochs=.. seconds=.. step_us=.. first_loss=.. last_loss=..
//   seconds: the whole training loop; step_us: median microseconds per optimizer step after the first epoch;
//   first_loss / last_loss: the mean batch loss of the first and the last epoch (as the anchors compute it).
using System.Diagnostics;
using System.Globalization;
using Gen;
using Gen.Benchmarks;

var positional = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads") i++; // Gen's CPU kernels run on one thread today; accepted for the compare script.
    else positional.Add(args[i]);
}
string job = positional.Count > 0 ? positional[0] : "mlp-small";
int? epochsArg = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : null;
var normal = new NormalSource(42);

switch (job)
{
    case "mlp-small":
    {
        const int n = 1000, d = 10;
        float[] x = normal.Next(n * d), w = normal.Next(d);
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            float s = 0.5f;
            for (int k = 0; k < d; k++) s += x[i * d + k] * w[k];
            y[i] = s;
        }
        Run(job, new MlpSmall(seed: 42), x, y, n, batch: 32, epochsArg ?? 10);
        break;
    }
    case "mlp-wide":
    {
        const int n = 8192, d = 784;
        float[] x = normal.Next(n * d);
        var random = new Random(42);
        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = random.Next(10);
        Run(job, new MlpWide(seed: 42), x, y, n, batch: 128, epochsArg ?? 3);
        break;
    }
    case "lstm":
    {
        const int n = 200, t = 50, d = 10;
        float[] x = normal.Next(n * t * d);
        var random = new Random(42);
        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = random.Next(2);
        Run(job, new LstmBenchmark(seed: 42), x, y, n, batch: 32, epochsArg ?? 10);
        break;
    }
    case "multi-output":
    {
        // Targets side by side per sample, in output order: the price, then the category label.
        const int n = 4096, d = 10;
        float[] x = normal.Next(n * d), w = normal.Next(d);
        var random = new Random(42);
        var y = new float[n * 2];
        for (int i = 0; i < n; i++)
        {
            float s = 0.5f;
            for (int k = 0; k < d; k++) s += x[i * d + k] * w[k];
            y[2 * i] = s;
            y[2 * i + 1] = random.Next(3);
        }
        Run(job, new MultiOutputBenchmark(seed: 42), x, y, n, batch: 32, epochsArg ?? 5);
        break;
    }
    default:
        Console.Error.WriteLine($"unknown job '{job}': the jobs are mlp-small, mlp-wide, lstm and multi-output");
        return 2;
}
return 0;


static void Run<TModel>(string job, TModel model, float[] x, float[] y, int n, int batch, int epochs) where TModel : IModel
{
    int inputs = model.InputSize, targets = model.TargetSize;
    var xb = new float[batch * inputs];
    var yb = new float[batch * targets];
    var order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    var random = new Random(7);
    var stepTimes = new List<double>();
    double first = double.NaN, last = double.NaN;
    var total = Stopwatch.StartNew();
    for (int epoch = 0; epoch < epochs; epoch++)
    {
        random.Shuffle(order);
        double sum = 0;
        int batches = 0;
        for (int start = 0; start < n; start += batch)
        {
            long t0 = Stopwatch.GetTimestamp();
            int b = Math.Min(batch, n - start);
            for (int r = 0; r < b; r++)
            {
                x.AsSpan(order[start + r] * inputs, inputs).CopyTo(xb.AsSpan(r * inputs));
                y.AsSpan(order[start + r] * targets, targets).CopyTo(yb.AsSpan(r * targets));
            }
            sum += Trainer.TrainStep(model, xb.AsSpan(0, b * inputs), yb.AsSpan(0, b * targets), default, b);
            batches++;
            if (epoch > 0) stepTimes.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }
        if (epoch == 0) first = sum / batches;
        last = sum / batches;
    }
    total.Stop();
    stepTimes.Sort();
    double stepUs = stepTimes.Count > 0 ? stepTimes[stepTimes.Count / 2] : double.NaN;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"job={job} epochs={epochs} seconds={total.Elapsed.TotalSeconds:F4} step_us={stepUs:F1} first_loss={first:F4} last_loss={last:F4}"));
}
