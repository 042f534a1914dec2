namespace Gen.Runtime.Tests;

/// <summary>
/// A user-defined stateful metric, written against <see cref="Metric"/>'s public members only: the F1 score
/// 2·P·R / (P + R) of the seeds' custom metric, with P = TP/(TP + FP) and R = TP/(TP + FN) from weighted counts
/// accumulated over every batch (an entry is predicted positive when ŷ &gt; 0.5, a label when it is not 0), and 0
/// where a denominator is 0. Averaging per-batch F1 scores would give a different number.
/// </summary>
public sealed class F1ScoreMetric : Metric
{
    private const float Threshold = 0.5f;
    private double _truePositives, _falsePositives, _falseNegatives;

    public override string Name => "f1_score";

    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sample.");
        if (yPred.Length % batch != 0) throw new ArgumentException($"yPred's {yPred.Length} floats do not split into {batch} rows.", nameof(yPred));
        if (yTrue.Length != yPred.Length) throw new ArgumentException($"yTrue has {yTrue.Length} floats, yPred {yPred.Length}.", nameof(yTrue));
        if (!sampleWeight.IsEmpty && sampleWeight.Length != batch) throw new ArgumentException($"Expected {batch} sample weights.", nameof(sampleWeight));

        int width = yPred.Length / batch;
        for (int i = 0; i < yPred.Length; i++)
        {
            double w = sampleWeight.IsEmpty ? 1.0 : sampleWeight[i / width];
            bool predicted = yPred[i] > Threshold, actual = yTrue[i] != 0f;
            if (predicted && actual) _truePositives += w;
            else if (predicted) _falsePositives += w;
            else if (actual) _falseNegatives += w;
        }
    }

    public override float Result()
    {
        double precision = Ratio(_truePositives, _truePositives + _falsePositives);
        double recall = Ratio(_truePositives, _truePositives + _falseNegatives);
        return (float)Ratio(2 * precision * recall, precision + recall);
    }

    public override void Reset() => (_truePositives, _falsePositives, _falseNegatives) = (0, 0, 0);

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
