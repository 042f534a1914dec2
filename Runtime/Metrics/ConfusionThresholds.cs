namespace Gen;

/// <summary>
/// The thresholds of a confusion-matrix metric (<see cref="PrecisionMetric"/>, <see cref="RecallMetric"/>,
/// <see cref="AucMetric"/>) and Keras's rule for "ŷ is positive at t", applied to all thresholds at once.
/// <see cref="Exceeded"/> maps a prediction to c, the number of thresholds it exceeds: the prediction is positive at
/// the c smallest thresholds and negative at the rest, so counts kept per c (a histogram of size
/// <see cref="Count"/> + 1) give every threshold's confusion counts by prefix and suffix sums.
/// </summary>
/// <remarks>
/// Keras (<c>metrics_utils.update_confusion_matrix_variables</c>) has two paths, and so does this class:
/// <list type="bullet">
/// <item>At least three thresholds, each within 1e-7 + 1e-5·e_i of e_i = i/(n−1) (<c>np.allclose</c>), take Keras's
/// bucketed path: ŷ is clipped to [0, 1] and falls in bucket b = ⌈ŷ·(n−1)⌉ − 1, computed in float32, raised to 0 when the thresholds
/// carry AUC's ±1e-7 endpoints; it is positive at thresholds 0..b. This is ŷ &gt; t except within float32 rounding
/// of a threshold and for ŷ outside [0, 1].</item>
/// <item>Otherwise ŷ &gt; t, compared in float32, a strict comparison.</item>
/// </list>
/// A NaN prediction is negative at every threshold (both Keras paths agree on the TensorFlow backend).
/// </remarks>
internal sealed class ConfusionThresholds
{
    private readonly float[] _ascending;
    private readonly int[] _position;
    private readonly bool _bucketed, _clampFirstBucket;

    private ConfusionThresholds(float[] thresholds, bool bucketed, bool clampFirstBucket)
    {
        Values = thresholds;
        _bucketed = bucketed;
        _clampFirstBucket = clampFirstBucket;
        _position = new int[thresholds.Length];
        for (int s = 0; s < _position.Length; s++) _position[s] = s;
        _ascending = (float[])thresholds.Clone();
        // The bucketed path indexes thresholds by position, as Keras's segment sum does; the exact path needs them sorted.
        if (!bucketed) Array.Sort(_ascending, _position);
    }

    /// <summary>Precision's and Recall's thresholds, in the caller's order; bucketed when Keras finds them evenly spaced.</summary>
    public static ConfusionThresholds ForPrecisionRecall(float[] thresholds)
    {
        var spacing = new double[thresholds.Length];
        for (int i = 0; i < spacing.Length; i++) spacing[i] = thresholds[i];
        return new ConfusionThresholds(thresholds, IsEvenlySpaced(spacing), clampFirstBucket: false);
    }

    /// <summary>
    /// AUC's thresholds: −1e-7, then the inner ones ascending, then 1 + 1e-7. Generated thresholds always take the
    /// bucketed path; given ones when 0, the inner ones and 1 are evenly spaced. The endpoints make bucket −1 (ŷ = 0)
    /// count at the first threshold.
    /// </summary>
    public static ConfusionThresholds ForAuc(ReadOnlySpan<double> inner, bool generated)
    {
        var values = new float[inner.Length + 2];
        var spacing = new double[inner.Length + 2];
        values[0] = (float)(0.0 - 1e-7);
        values[^1] = (float)(1.0 + 1e-7);
        spacing[^1] = 1.0;
        for (int i = 0; i < inner.Length; i++)
        {
            values[i + 1] = (float)inner[i];
            spacing[i + 1] = inner[i];
        }
        return new ConfusionThresholds(values, generated || IsEvenlySpaced(spacing), clampFirstBucket: true);
    }

    /// <summary>The thresholds in the caller's order (float32, as Keras compares them).</summary>
    public float[] Values { get; }

    public int Count => _ascending.Length;

    /// <summary>The caller's index of the s-th threshold in the order <see cref="Exceeded"/> counts.</summary>
    public int Position(int s) => _position[s];

    /// <summary>The number of thresholds <paramref name="prediction"/> exceeds: it is positive at the first c of them.</summary>
    public int Exceeded(float prediction)
    {
        if (float.IsNaN(prediction)) return 0;
        if (_bucketed)
        {
            float clipped = Math.Clamp(prediction, 0f, 1f);
            float bucket = MathF.Ceiling(clipped * (float)(_ascending.Length - 1)) - 1f;
            if (_clampFirstBucket && bucket < 0f) bucket = 0f;
            return bucket < 0f ? 0 : (int)bucket + 1;
        }

        int lo = 0, hi = _ascending.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (prediction > _ascending[mid]) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Keras's <c>is_evenly_distributed_thresholds</c>: n ≥ 3 and each value within 1e-7 + 1e-5·|e_i| of e_i = i/(n−1) (float32).</summary>
    private static bool IsEvenlySpaced(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n < 3) return false;
        for (int i = 0; i < n; i++)
        {
            double even = (float)i / (float)(n - 1);
            if (!(Math.Abs(values[i] - even) <= 1e-7 + 1e-5 * Math.Abs(even))) return false;
        }
        return true;
    }

    /// <summary>Checks user thresholds as Keras's <c>assert_thresholds_range</c> does: every value in [0, 1].</summary>
    public static float[] CheckRange(float[] thresholds, string paramName)
    {
        foreach (float t in thresholds)
        {
            if (!(t >= 0f && t <= 1f))
                throw new ArgumentOutOfRangeException(paramName, t, $"Threshold values must be in [0, 1]; got {t}.");
        }
        return (float[])thresholds.Clone();
    }
}
