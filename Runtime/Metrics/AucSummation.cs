namespace Gen;

/// <summary>How <see cref="AucMetric"/> sums the area between successive thresholds (Keras's <c>summation_method</c>).</summary>
public enum AucSummation
{
    /// <summary>
    /// Trapezoids, (x_i − x_{i+1})·(y_i + y_{i+1})/2; for the PR curve, Davis and Goadrich's interpolation of true
    /// and false positives instead of precision.
    /// </summary>
    Interpolation,
    /// <summary>Rectangles under the lower of the two heights, (x_i − x_{i+1})·min(y_i, y_{i+1}).</summary>
    Minoring,
    /// <summary>Rectangles under the higher of the two heights, (x_i − x_{i+1})·max(y_i, y_{i+1}).</summary>
    Majoring,
}
