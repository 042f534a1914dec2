namespace Gen;

/// <summary>Constants and helpers shared by the cross-entropies.</summary>
internal static class Crossentropy
{
    /// <summary>Keras's <c>backend.epsilon()</c>: probabilities are clipped to [ε, 1 − ε].</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>1 − ε as float32 rounds it (0.99999988f, not 0.9999999), so p = 1 with y = 0 costs 15.942385.</summary>
    public const float OneMinusEpsilon = 1f - Epsilon;

    public static float ValidateLabelSmoothing(float labelSmoothing, string paramName)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(paramName, labelSmoothing, "Expected a label smoothing in [0, 1].");
        return labelSmoothing;
    }

    /// <summary>log(1 + u), accurate for small u (Goldberg's correction of the rounding in 1 + u).</summary>
    public static double Log1P(double u)
    {
        double w = 1.0 + u;
        return w == 1.0 ? u : Math.Log(w) * u / (w - 1.0);
    }
}
