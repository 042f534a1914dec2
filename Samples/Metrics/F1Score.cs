using Gen;

namespace Gen.Samples.Metrics;

/// <summary>
/// A metric of your own: subclass <see cref="Metric"/>, accumulate in <see cref="Update"/>, answer in
/// <see cref="Result"/>. F1 = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall, with ŷ &gt; 0.5
/// predicted positive (as Precision and Recall do) and each sample counted with its weight.
/// </summary>
public sealed class F1Score : Metric
{
    private double _truePositives, _falsePositives, _falseNegatives;

    public override string Name => "f1_score";

    /// <param name="yPred">batch × 1 probabilities.</param>
    /// <param name="yTrue">batch × 1 labels, 0 or 1.</param>
    /// <param name="sampleWeight">One weight per sample, or empty for all ones.</param>
    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        for (int i = 0; i < batch; i++)
        {
            double w = sampleWeight.IsEmpty ? 1 : sampleWeight[i];
            bool predicted = yPred[i] > 0.5f, actual = yTrue[i] != 0;
            if (predicted && actual) _truePositives += w;
            else if (predicted) _falsePositives += w;
            else if (actual) _falseNegatives += w;
        }
    }

    public override float Result()
    {
        double denominator = 2 * _truePositives + _falsePositives + _falseNegatives;
        return denominator == 0 ? 0 : (float)(2 * _truePositives / denominator);
    }

    public override void Reset() => _truePositives = _falsePositives = _falseNegatives = 0;
}
