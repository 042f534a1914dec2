namespace Gen.Generator.Tests.Numerics;

/// <summary>Checks generated float32 gradients against float64 central differences of an independent reference loss.</summary>
internal static class CentralDifferences
{
    /// <summary>
    /// For every parameter i, |analytic[i] − (L(w + h·e_i) − L(w − h·e_i)) / 2h| ≤ 2e-5 + 2e-3·|numeric|, h = 1e-6.
    /// <paramref name="w"/> is restored after each probe.
    /// </summary>
    public static void AssertGradients(float[] analytic, double[] w, Func<double[], double> loss)
    {
        const double H = 1e-6;
        Assert.Equal(w.Length, analytic.Length);
        for (int i = 0; i < w.Length; i++)
        {
            double saved = w[i];
            w[i] = saved + H;
            double plus = loss(w);
            w[i] = saved - H;
            double minus = loss(w);
            w[i] = saved;
            double numeric = (plus - minus) / (2 * H);
            Assert.True(Math.Abs(analytic[i] - numeric) <= 2e-5 + 2e-3 * Math.Abs(numeric),
                $"parameter {i}: generated gradient {analytic[i]} vs float64 central difference {numeric}");
        }
    }
}
