namespace Gen.Runtime.Tests;

/// <summary>Float64 central differences of an independent reference, to check the runtime's float32 gradients.</summary>
internal static class CentralDifferences
{
    /// <summary>∂loss/∂p_i = (L(p + h·e_i) − L(p − h·e_i)) / 2h for every i, perturbing <paramref name="p"/> in place and restoring it.</summary>
    public static double[] Gradient(double[] p, Func<double> loss, double h = 1e-5)
    {
        var gradient = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i];
            p[i] = saved + h;
            double plus = loss();
            p[i] = saved - h;
            double minus = loss();
            p[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }
        return gradient;
    }
}
