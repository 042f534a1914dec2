using System.Runtime.CompilerServices;
using Gen.Cpu;

namespace Gen;

/// <summary>
/// Keras's <c>AUC(num_thresholds, curve, summation_method, thresholds, multi_label, from_logits)</c>: the area under
/// the ROC or PR curve, approximated from weighted confusion counts at a fixed set of thresholds accumulated over
/// every update.
/// </summary>
/// <remarks>
/// <para>Thresholds: t_0 = −1e-7, t_i = i/(n−1) for i = 1..n−2, t_{n−1} = 1 + 1e-7 (float32), n =
/// <c>numThresholds</c>. Given thresholds (each in [0, 1]) replace the inner ones, sorted, and n becomes their count
/// + 2. An entry is predicted positive at t when ŷ &gt; t (Keras's bucketed path for evenly spaced thresholds, which
/// clips ŷ to [0, 1] first); its label is positive when it is not 0. Each sample's weight applies to every entry of
/// its row. With <c>fromLogits</c>, ŷ = σ(logit) first.</para>
/// <para>Without <c>multiLabel</c> every entry of every row is one binary prediction (the input is flattened); with it,
/// each column is its own label with its own counts, and the result is the unweighted mean of the per-label areas.
/// The width must then stay the same across updates.</para>
/// <para>With TP, FP, TN, FN at each threshold and a/b read as 0 when b = 0: ROC has x = FP/(FP+TN), y = TP/(TP+FN);
/// PR has x = TP/(TP+FN), y = TP/(TP+FP). The area is Σ_i (x_i − x_{i+1})·h_i, h_i the mean, min or max of y_i and
/// y_{i+1}. PR with interpolation uses the closed form of Davis and Goadrich instead: with P = TP + FP,
/// slope = ΔTP / max(ΔP, 0), intercept = TP_{i+1} − slope·P_{i+1}, each interval adds
/// slope·(ΔTP + intercept·ln(P_i / P_{i+1})) / max(TP_{i+1} + FN_{i+1}, 0), the log ratio taken as 1 when either P is 0.
/// </para>
/// <para>Counts are kept per "number of thresholds exceeded" (size n + 1, or that per label), so an update costs
/// O(entries · log n), or O(entries) on the bucketed path, and allocates nothing; the result costs O(n) per label.</para>
/// </remarks>
public sealed class AucMetric : Metric
{
    private readonly ConfusionThresholds _thresholds;
    private readonly double[] _truePositives, _falsePositives, _trueNegatives, _falseNegatives;
    // _positives[l·(n+1) + c] / _negatives[...]: the weight of label l's entries with a positive / negative label that
    // exceed exactly c thresholds. One label unless multiLabel; then sized at the first update.
    private double[] _positives, _negatives;
    private int _labels;

    public AucMetric(
        int numThresholds = 200, AucCurve curve = AucCurve.Roc, AucSummation summation = AucSummation.Interpolation,
        float[]? thresholds = null, bool multiLabel = false, bool fromLogits = false)
    {
        if (!Enum.IsDefined(curve)) throw new ArgumentOutOfRangeException(nameof(curve), curve, "Unknown AUC curve.");
        if (!Enum.IsDefined(summation)) throw new ArgumentOutOfRangeException(nameof(summation), summation, "Unknown AUC summation method.");
        double[] inner;
        if (thresholds is not null)
        {
            var sorted = ConfusionThresholds.CheckRange(thresholds, nameof(thresholds));
            Array.Sort(sorted);
            inner = new double[sorted.Length];
            for (int i = 0; i < inner.Length; i++) inner[i] = sorted[i];
        }
        else
        {
            if (numThresholds <= 1)
                throw new ArgumentOutOfRangeException(nameof(numThresholds), numThresholds, "numThresholds must be more than 1.");
            inner = new double[numThresholds - 2];
            for (int i = 0; i < inner.Length; i++) inner[i] = (i + 1) * 1.0 / (numThresholds - 1);
        }

        _thresholds = ConfusionThresholds.ForAuc(inner, generated: thresholds is null);
        Curve = curve;
        Summation = summation;
        MultiLabel = multiLabel;
        FromLogits = fromLogits;
        int n = _thresholds.Count;
        _truePositives = new double[n];
        _falsePositives = new double[n];
        _trueNegatives = new double[n];
        _falseNegatives = new double[n];
        _labels = multiLabel ? 0 : 1;
        _positives = new double[_labels * (n + 1)];
        _negatives = new double[_labels * (n + 1)];
    }

    public override string Name => "auc";

    /// <summary>The number of thresholds, the two endpoints included.</summary>
    public int NumThresholds => _thresholds.Count;

    /// <summary>All thresholds, ascending, the endpoints −1e-7 and 1 + 1e-7 included (Keras's <c>AUC.thresholds</c>).</summary>
    public ReadOnlySpan<float> Thresholds => _thresholds.Values;

    public AucCurve Curve { get; }

    public AucSummation Summation { get; }

    public bool MultiLabel { get; }

    public bool FromLogits { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        int width = MetricArguments.CheckSameShape(yPred, yTrue, sampleWeight, batch);
        int stride = _thresholds.Count + 1;
        if (MultiLabel)
        {
            if (_labels == 0)
            {
                _labels = width;
                _positives = new double[width * stride];
                _negatives = new double[width * stride];
            }
            else if (width != _labels)
            {
                throw new ArgumentException($"With multiLabel the width stays {_labels} labels from the first update; yPred has {width}.", nameof(yPred));
            }
        }

        for (int i = 0; i < batch; i++)
        {
            double w = sampleWeight.IsEmpty ? 1.0 : sampleWeight[i];
            for (int j = 0; j < width; j++)
            {
                float prediction = yPred[i * width + j];
                if (FromLogits) prediction = Activations.Logistic(prediction);
                int at = (MultiLabel ? j * stride : 0) + _thresholds.Exceeded(prediction);
                if (yTrue[i * width + j] != 0f) _positives[at] += w;
                else _negatives[at] += w;
            }
        }
    }

    public override float Result()
    {
        if (_labels == 0) return 0f;
        int stride = _thresholds.Count + 1;
        double total = 0;
        for (int l = 0; l < _labels; l++)
        {
            Counts(_positives.AsSpan(l * stride, stride), _negatives.AsSpan(l * stride, stride));
            total += Curve == AucCurve.Pr && Summation == AucSummation.Interpolation ? InterpolatedPrArea() : RiemannArea();
        }
        return (float)(total / _labels);
    }

    public override void Reset()
    {
        Array.Clear(_positives);
        Array.Clear(_negatives);
    }

    /// <summary>TP, FP, TN, FN at each threshold t from the histograms: an entry exceeding c thresholds is predicted positive at t &lt; c.</summary>
    private void Counts(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        int n = _thresholds.Count;
        double falseNegatives = 0, trueNegatives = 0;
        for (int t = 0; t < n; t++)
        {
            falseNegatives += positives[t];
            trueNegatives += negatives[t];
            _falseNegatives[t] = falseNegatives;
            _trueNegatives[t] = trueNegatives;
        }
        double truePositives = 0, falsePositives = 0;
        for (int t = n - 1; t >= 0; t--)
        {
            truePositives += positives[t + 1];
            falsePositives += negatives[t + 1];
            _truePositives[t] = truePositives;
            _falsePositives[t] = falsePositives;
        }
    }

    /// <summary>Σ_i (x_i − x_{i+1})·h_i over the curve's points, h_i by <see cref="Summation"/>.</summary>
    private double RiemannArea()
    {
        double area = 0;
        for (int i = 0; i + 1 < _thresholds.Count; i++)
        {
            var (x0, y0) = Point(i);
            var (x1, y1) = Point(i + 1);
            double height = Summation switch
            {
                AucSummation.Interpolation => (y0 + y1) / 2,
                AucSummation.Minoring => Math.Min(y0, y1),
                _ => Math.Max(y0, y1),
            };
            area += (x0 - x1) * height;
        }
        return area;
    }

    private (double X, double Y) Point(int t)
    {
        double recall = DivideNoNan(_truePositives[t], _truePositives[t] + _falseNegatives[t]);
        return Curve == AucCurve.Roc
            ? (DivideNoNan(_falsePositives[t], _falsePositives[t] + _trueNegatives[t]), recall)
            : (recall, DivideNoNan(_truePositives[t], _truePositives[t] + _falsePositives[t]));
    }

    /// <summary>Keras's <c>interpolate_pr_auc</c>: precision interpolated through TP and P = TP + FP, each linear between thresholds.</summary>
    private double InterpolatedPrArea()
    {
        double area = 0;
        for (int i = 0; i + 1 < _thresholds.Count; i++)
        {
            double tp0 = _truePositives[i], tp1 = _truePositives[i + 1];
            double p0 = tp0 + _falsePositives[i], p1 = tp1 + _falsePositives[i + 1];
            double dtp = tp0 - tp1;
            double slope = DivideNoNan(dtp, Math.Max(p0 - p1, 0));
            double intercept = tp1 - slope * p1;
            double ratio = p0 > 0 && p1 > 0 ? DivideNoNan(p0, Math.Max(p1, 0)) : 1;
            area += DivideNoNan(slope * (dtp + intercept * Math.Log(ratio)), Math.Max(tp1 + _falseNegatives[i + 1], 0));
        }
        return area;
    }

    /// <summary>Keras's <c>divide_no_nan</c>: 0 where the denominator is 0.</summary>
    private static double DivideNoNan(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
