namespace Gen;

/// <summary>
/// The weighted true-positive, false-positive and false-negative counts behind <see cref="PrecisionMetric"/> and
/// <see cref="RecallMetric"/>, per threshold, accumulated over updates in float64 (Keras's
/// <c>update_confusion_matrix_variables</c> with <c>top_k</c> and <c>class_id</c>).
/// </summary>
/// <remarks>
/// A label is positive when it is not 0 (Keras casts <c>y_true</c> to bool). Each sample's weight applies to every
/// entry of its row. With top-k, only the k largest entries of each row keep their prediction (ties go to the lower
/// index, as <c>ops.top_k</c> orders them; a NaN ranks below every number); Keras sets the others to −1e10, which
/// is positive at no threshold, so here they simply count as negative. With a class id only that column counts.
/// </remarks>
internal sealed class ThresholdConfusion
{
    public const float TopKDefaultThreshold = -1e10f;

    private readonly ConfusionThresholds _thresholds;
    private readonly int[] _topIndex;
    // _positives[c] / _negatives[c]: the weight of entries with a positive / negative label that exceed exactly c thresholds.
    private readonly double[] _positives, _negatives;

    public ThresholdConfusion(float[]? thresholds, int? topK, int? classId)
    {
        if (topK is <= 0) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must be at least 1.");
        if (classId is < 0) throw new ArgumentOutOfRangeException(nameof(classId), classId, "classId must be a column index, 0 or more.");
        float[] values;
        if (thresholds is null) values = [topK is null ? 0.5f : TopKDefaultThreshold];
        else if (thresholds.Length == 0) throw new ArgumentException("Give at least one threshold, or null for the default.", nameof(thresholds));
        else values = ConfusionThresholds.CheckRange(thresholds, nameof(thresholds));

        _thresholds = ConfusionThresholds.ForPrecisionRecall(values);
        TopK = topK;
        ClassId = classId;
        _topIndex = new int[topK ?? 0];
        _positives = new double[values.Length + 1];
        _negatives = new double[values.Length + 1];
    }

    public ReadOnlySpan<float> Thresholds => _thresholds.Values;

    public int? TopK { get; }

    public int? ClassId { get; }

    public void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        int width = MetricArguments.CheckSameShape(yPred, yTrue, sampleWeight, batch);
        if (ClassId is int column && column >= width)
            throw new ArgumentException($"classId {column} is outside the {width} columns of yPred.", nameof(yPred));
        if (TopK is int k && k > width)
            throw new ArgumentException($"topK {k} is more than the {width} columns of yPred.", nameof(yPred));

        for (int i = 0; i < batch; i++)
        {
            double w = sampleWeight.IsEmpty ? 1.0 : sampleWeight[i];
            var prediction = yPred.Slice(i * width, width);
            var label = yTrue.Slice(i * width, width);
            if (ClassId is int c)
            {
                bool kept = TopK is not int top || IsInTop(prediction, c, top);
                Add(kept ? _thresholds.Exceeded(prediction[c]) : 0, label[c] != 0f, w);
            }
            else if (TopK is int top)
            {
                // The k kept entries exceed some thresholds; the other width − k exceed none.
                SelectTop(prediction, top);
                int positives = 0;
                for (int j = 0; j < width; j++) if (label[j] != 0f) positives++;
                int negatives = width - positives;
                foreach (int j in _topIndex)
                {
                    bool positive = label[j] != 0f;
                    Add(_thresholds.Exceeded(prediction[j]), positive, w);
                    if (positive) positives--;
                    else negatives--;
                }
                _positives[0] += positives * w;
                _negatives[0] += negatives * w;
            }
            else
            {
                for (int j = 0; j < width; j++) Add(_thresholds.Exceeded(prediction[j]), label[j] != 0f, w);
            }
        }
    }

    private void Add(int exceeded, bool positive, double w)
    {
        if (positive) _positives[exceeded] += w;
        else _negatives[exceeded] += w;
    }

    /// <summary>Writes TP/(TP + FP) (precision) or TP/(TP + FN) (recall) per threshold in the caller's order; 0/0 = 0.</summary>
    public void Ratios(Span<float> results, bool precision)
    {
        // At the s-th threshold in counting order, entries exceeding more than s thresholds are predicted positive.
        double truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (int c = 0; c < _positives.Length; c++) falseNegatives += _positives[c];
        for (int s = _thresholds.Count - 1; s >= 0; s--)
        {
            truePositives += _positives[s + 1];
            falsePositives += _negatives[s + 1];
            falseNegatives -= _positives[s + 1];
            double other = precision ? falsePositives : falseNegatives;
            double denominator = truePositives + other;
            results[_thresholds.Position(s)] = denominator == 0 ? 0f : (float)(truePositives / denominator);
        }
    }

    public void Reset()
    {
        Array.Clear(_positives);
        Array.Clear(_negatives);
    }

    /// <summary>Whether column <paramref name="column"/> is among the k entries <c>ops.top_k</c> keeps: fewer than k outrank it.</summary>
    private static bool IsInTop(ReadOnlySpan<float> prediction, int column, int k)
    {
        float key = RankKey(prediction[column]);
        int ahead = 0;
        for (int j = 0; j < prediction.Length; j++)
        {
            float other = RankKey(prediction[j]);
            if (other > key || (other == key && j < column)) ahead++;
        }
        return ahead < k;
    }

    /// <summary>Fills <see cref="_topIndex"/> with the indices of the k largest entries, ties to the lower index.</summary>
    private void SelectTop(ReadOnlySpan<float> prediction, int k)
    {
        // _topIndex[0..filled) is ordered best first; a later index must be strictly larger to displace an entry.
        int filled = 0;
        for (int j = 0; j < prediction.Length; j++)
        {
            float key = RankKey(prediction[j]);
            if (filled == k && !(key > RankKey(prediction[_topIndex[k - 1]]))) continue;
            int at = filled == k ? k - 1 : filled++;
            while (at > 0 && key > RankKey(prediction[_topIndex[at - 1]]))
            {
                _topIndex[at] = _topIndex[at - 1];
                at--;
            }
            _topIndex[at] = j;
        }
    }

    private static float RankKey(float value) => float.IsNaN(value) ? float.NegativeInfinity : value;
}
