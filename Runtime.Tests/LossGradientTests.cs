namespace Gen.Runtime.Tests;

/// <summary>
/// Every loss and option against an independent float64 implementation of its formula (written here, not
/// calling the runtime): the reduced value, and the runtime's analytic gradient against central differences
/// of the float64 reference, for each reduction, with and without sample weights.
/// </summary>
public sealed class LossGradientTests
{
    private const int Batch = 4;
    private const int Width = 5;

    /// <summary>
    /// One loss configuration: how to build the runtime loss, its per-sample float64 reference, which targets
    /// the reference treats as masked (SCCE's ignore_class), and how to draw inputs away from kinks and clips.
    /// </summary>
    private sealed record Case(
        Func<Reduction, Loss> Create,
        Func<double[], double[], double> Reference,
        int TargetWidth,
        Func<Random, (float[] Pred, float[] Target)> Inputs,
        Func<double[], bool>? Masked = null);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["mse"] = new(r => new MeanSquaredError { Reduction = r }, (p, y) => Mean(p, y, e => e * e), Width, Regression(0)),
        ["mae"] = new(r => new MeanAbsoluteError { Reduction = r }, (p, y) => Mean(p, y, Math.Abs), Width, Regression(0)),
        ["huber_delta_1"] = new(r => new Huber { Reduction = r }, (p, y) => Mean(p, y, e => HuberElement(e, 1.0)), Width, Regression(1.0)),
        ["huber_delta_0.3"] = new(r => new Huber(0.3f) { Reduction = r }, (p, y) => Mean(p, y, e => HuberElement(e, 0.3)), Width, Regression(0.3)),
        ["bce_probabilities"] = new(r => new BinaryCrossentropy { Reduction = r }, (p, y) => BceProbabilities(p, y, 0), Width, Binary(logits: false)),
        ["bce_probabilities_smoothing_0.2"] = new(r => new BinaryCrossentropy(labelSmoothing: 0.2f) { Reduction = r }, (p, y) => BceProbabilities(p, y, 0.2), Width, Binary(logits: false)),
        ["bce_logits"] = new(r => new BinaryCrossentropy(fromLogits: true) { Reduction = r }, (p, y) => BceLogits(p, y, 0), Width, Binary(logits: true)),
        ["bce_logits_smoothing_0.2"] = new(r => new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.2f) { Reduction = r }, (p, y) => BceLogits(p, y, 0.2), Width, Binary(logits: true)),
        ["cce_probabilities"] = new(r => new CategoricalCrossentropy { Reduction = r }, (p, y) => CceProbabilities(p, y, 0), Width, Categorical(logits: false)),
        ["cce_probabilities_smoothing_0.1"] = new(r => new CategoricalCrossentropy(labelSmoothing: 0.1f) { Reduction = r }, (p, y) => CceProbabilities(p, y, 0.1), Width, Categorical(logits: false)),
        ["cce_probabilities_clip_active"] = new(r => new CategoricalCrossentropy(labelSmoothing: 0.1f) { Reduction = r }, (p, y) => CceProbabilities(p, y, 0.1), Width, CategoricalWithClippedEntry),
        ["cce_logits"] = new(r => new CategoricalCrossentropy(fromLogits: true) { Reduction = r }, (p, y) => CceLogits(p, y, 0), Width, Categorical(logits: true)),
        ["cce_logits_smoothing_0.1"] = new(r => new CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1f) { Reduction = r }, (p, y) => CceLogits(p, y, 0.1), Width, Categorical(logits: true)),
        ["scce_probabilities"] = new(r => new SparseCategoricalCrossentropy { Reduction = r }, (p, y) => CceProbabilities(p, OneHot(y[0], p.Length), 0), 1, Sparse(logits: false, ignored: null)),
        ["scce_logits"] = new(r => new SparseCategoricalCrossentropy(fromLogits: true) { Reduction = r }, (p, y) => CceLogits(p, OneHot(y[0], p.Length), 0), 1, Sparse(logits: true, ignored: null)),
        ["scce_probabilities_ignore_minus_1"] = new(r => new SparseCategoricalCrossentropy(ignoreClass: -1) { Reduction = r }, (p, y) => CceProbabilities(p, OneHot(y[0], p.Length), 0), 1, Sparse(logits: false, ignored: -1), y => y[0] == -1),
        ["scce_logits_ignore_2"] = new(r => new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: 2) { Reduction = r }, (p, y) => CceLogits(p, OneHot(y[0], p.Length), 0), 1, Sparse(logits: true, ignored: 2), y => y[0] == 2),
    };

    public static TheoryData<string, Reduction, bool> AllCases()
    {
        var data = new TheoryData<string, Reduction, bool>();
        foreach (string name in Cases.Keys)
            foreach (var reduction in new[] { Reduction.SumOverBatchSize, Reduction.Sum, Reduction.MeanWithSampleWeight })
                foreach (bool weighted in new[] { false, true })
                    data.Add(name, reduction, weighted);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void ValueMatchesFloat64Reference(string name, Reduction reduction, bool weighted)
    {
        var c = Cases[name];
        var (pred, target, weights) = Draw(name, c, weighted);

        float actual = c.Create(reduction).Compute(pred, target, weights, Batch, Span<float>.Empty);
        double expected = ReferenceReduced(c, ToDouble(pred), ToDouble(target), weights, reduction);

        Assert.True(expected != 0, "The reference should not be trivially 0.");
        AssertClose(expected, actual, relative: 1e-5, absolute: 1e-7, $"{name} {reduction} weighted={weighted}");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void GradientMatchesCentralDifferencesOfFloat64Reference(string name, Reduction reduction, bool weighted)
    {
        var c = Cases[name];
        var (pred, target, weights) = Draw(name, c, weighted);
        var gradient = new float[pred.Length];

        float withGradient = c.Create(reduction).Compute(pred, target, weights, Batch, gradient);
        float withoutGradient = c.Create(reduction).Compute(pred, target, weights, Batch, Span<float>.Empty);
        Assert.Equal(withoutGradient, withGradient);

        double[] x = ToDouble(pred), y = ToDouble(target);
        int nonZero = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double h = 1e-6 * Math.Max(Math.Abs(x[i]), 1e-2);
            double saved = x[i];
            x[i] = saved + h;
            double up = ReferenceReduced(c, x, y, weights, reduction);
            x[i] = saved - h;
            double down = ReferenceReduced(c, x, y, weights, reduction);
            x[i] = saved;
            double numeric = (up - down) / (2 * h);
            if (Math.Abs(numeric) > 1e-4) nonZero++;
            AssertClose(numeric, gradient[i], relative: 1e-3, absolute: 1e-5, $"{name} {reduction} weighted={weighted} d/dyPred[{i}]");
        }
        Assert.True(nonZero >= Width, $"Expected the check to cover non-zero gradients; only {nonZero} were.");
    }

    // Per-sample references, float64, written from Keras's formulas.

    private static double Mean(double[] p, double[] y, Func<double, double> element)
    {
        double sum = 0;
        for (int j = 0; j < p.Length; j++) sum += element(p[j] - y[j]);
        return sum / p.Length;
    }

    private static double HuberElement(double e, double delta)
        => Math.Abs(e) <= delta ? 0.5 * e * e : delta * Math.Abs(e) - 0.5 * delta * delta;

    private static double BceProbabilities(double[] p, double[] y, double ls)
    {
        double sum = 0;
        for (int j = 0; j < p.Length; j++)
        {
            double t = y[j] * (1 - ls) + 0.5 * ls;
            double q = Math.Clamp(p[j], 1e-7, 1 - 1e-7);
            sum += -(t * Math.Log(q) + (1 - t) * Math.Log(1 - q));
        }
        return sum / p.Length;
    }

    private static double BceLogits(double[] x, double[] y, double ls)
    {
        double sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            double t = y[j] * (1 - ls) + 0.5 * ls;
            double s = 1 / (1 + Math.Exp(-x[j]));
            sum += -(t * Math.Log(s) + (1 - t) * Math.Log(1 - s));
        }
        return sum / x.Length;
    }

    private static double CceProbabilities(double[] p, double[] y, double ls)
    {
        double total = p.Sum();
        double loss = 0;
        for (int j = 0; j < p.Length; j++)
        {
            double t = y[j] * (1 - ls) + ls / p.Length;
            loss -= t * Math.Log(Math.Clamp(p[j] / total, 1e-7, 1 - 1e-7));
        }
        return loss;
    }

    private static double CceLogits(double[] x, double[] y, double ls)
    {
        double expSum = x.Sum(Math.Exp);
        double loss = 0;
        for (int j = 0; j < x.Length; j++)
        {
            double t = y[j] * (1 - ls) + ls / x.Length;
            loss -= t * Math.Log(Math.Exp(x[j]) / expSum);
        }
        return loss;
    }

    private static double[] OneHot(double label, int width)
    {
        var y = new double[width];
        y[(int)label] = 1;
        return y;
    }

    /// <summary>Keras's reductions, with a mask turned into weights: Σ l·w·m / Σ m, Σ l·w·m, or Σ l·w·m / Σ w·m.</summary>
    private static double ReferenceReduced(Case c, double[] pred, double[] target, float[] weights, Reduction reduction)
    {
        int width = pred.Length / Batch;
        double sum = 0, count = 0, weightSum = 0;
        for (int i = 0; i < Batch; i++)
        {
            double[] y = target[(i * c.TargetWidth)..((i + 1) * c.TargetWidth)];
            if (c.Masked?.Invoke(y) == true) continue;
            double w = weights.Length == 0 ? 1 : weights[i];
            sum += w * c.Reference(pred[(i * width)..((i + 1) * width)], y);
            count++;
            weightSum += w;
        }
        return reduction switch
        {
            Reduction.Sum => sum,
            Reduction.MeanWithSampleWeight => sum / weightSum,
            _ => sum / count,
        };
    }

    // Inputs: a fixed seed per case; values away from kinks (e = 0, |e| = δ) and from the probability clip.

    private static (float[] Pred, float[] Target, float[] Weights) Draw(string name, Case c, bool weighted)
    {
        var random = new Random(StableHash(name));
        var (pred, target) = c.Inputs(random);
        float[] weights = weighted ? [0.5f, 0f, 1.75f, 1.2f] : [];
        return (pred, target, weights);
    }

    private static Func<Random, (float[], float[])> Regression(double kink) => random =>
    {
        var pred = new float[Batch * Width];
        var target = new float[Batch * Width];
        for (int i = 0; i < pred.Length; i++)
        {
            target[i] = (float)(random.NextDouble() * 4 - 2);
            double e;
            do e = random.NextDouble() * 6 - 3;
            while (Math.Abs(e) < 0.05 || Math.Abs(Math.Abs(e) - kink) < 0.05);
            pred[i] = target[i] + (float)e;
        }
        return (pred, target);
    };

    private static Func<Random, (float[], float[])> Binary(bool logits) => random =>
    {
        var pred = new float[Batch * Width];
        var target = new float[Batch * Width];
        for (int i = 0; i < pred.Length; i++)
        {
            pred[i] = logits ? (float)(random.NextDouble() * 8 - 4) : (float)(0.02 + 0.96 * random.NextDouble());
            target[i] = i % 3 == 0 ? (float)random.NextDouble() : random.Next(2);
        }
        return (pred, target);
    };

    // Probabilities that do not sum to 1 (so the renormalisation matters) and soft targets whose sum is not 1
    // (so the Σy factor of the logits gradient matters).
    private static Func<Random, (float[], float[])> Categorical(bool logits) => random =>
    {
        var pred = new float[Batch * Width];
        var target = new float[Batch * Width];
        for (int i = 0; i < pred.Length; i++)
        {
            pred[i] = logits ? (float)(random.NextDouble() * 8 - 4) : (float)(0.05 + 0.95 * random.NextDouble());
            target[i] = (float)random.NextDouble();
        }
        return (pred, target);
    };

    private static (float[], float[]) CategoricalWithClippedEntry(Random random)
    {
        var (pred, target) = Categorical(logits: false)(random);
        pred[2] = 1e-12f;
        pred[Width + 4] = 0f;
        return (pred, target);
    }

    private static Func<Random, (float[], float[])> Sparse(bool logits, int? ignored) => random =>
    {
        var (pred, _) = Categorical(logits)(random);
        var target = new float[Batch];
        for (int i = 0; i < Batch; i++) target[i] = random.Next(Width);
        if (ignored is int k)
        {
            // One masked sample; the others hold valid labels other than the ignored class.
            for (int i = 0; i < Batch; i++)
                while (target[i] == k) target[i] = random.Next(Width);
            target[2] = k;
        }
        return (pred, target);
    };

    private static int StableHash(string s)
    {
        int h = 17;
        foreach (char ch in s) h = unchecked(h * 31 + ch);
        return h;
    }

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);

    private static void AssertClose(double expected, double actual, double relative, double absolute, string what)
    {
        double tolerance = relative * Math.Abs(expected) + absolute;
        Assert.True(Math.Abs(actual - expected) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):E3}, tolerance {tolerance:E3}).");
    }
}
