namespace Gen;

/// <summary>The curve whose area <see cref="AucMetric"/> computes (Keras's <c>curve</c>).</summary>
public enum AucCurve
{
    /// <summary>Receiver operating characteristic: x = false-positive rate, y = true-positive rate (recall).</summary>
    Roc,
    /// <summary>Precision–recall: x = recall, y = precision.</summary>
    Pr,
}
