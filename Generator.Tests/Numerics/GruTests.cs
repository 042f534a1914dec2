using Gen;

namespace Gen.Generator.Tests.Numerics;

[Model(InputShape = [4, 3])]
[Gru(5, ReturnSequences = true)]
[Gru(3, GoBackwards = true)]
[Dense(2)]
[Loss(LossKind.MeanSquaredError)]
[Adam]
internal partial class StackedGru;

/// <summary>Generated GRU layers (Keras's reset_after): every gradient against an independent float64 reference.</summary>
public class GruTests
{
    private const int Batch = 3, T = 4, F = 3;

    [Fact]
    public void Stacked_grus_with_sequences_and_go_backwards_have_the_gradients_of_a_float64_reference()
    {
        var model = new StackedGru(seed: 5);
        var random = new Random(3);
        var x = Enumerable.Range(0, Batch * T * F).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, Batch * 2).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Assert.Equal(248, model.ParameterCount);
        model.Perturb(random); // biases off zero too
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            double total = 0;
            for (int r = 0; r < Batch; r++)
            {
                var sequence = new double[T][];
                for (int t = 0; t < T; t++) sequence[t] = Enumerable.Range(0, F).Select(k => (double)x[(r * T + t) * F + k]).ToArray();
                // Layer 0: kernel (3, 15) at 0, recurrent (5, 15) at 45, bias (2, 15) at 120; every step, forwards.
                var h0 = Gru(q, 0, 45, 120, sequence, 5, backwards: false);
                // Layer 1: kernel (5, 9) at 150, recurrent (3, 9) at 195, bias (2, 9) at 222; backwards, last state.
                var h1 = Gru(q, 150, 195, 222, h0, 3, backwards: true)[^1];
                for (int j = 0; j < 2; j++)
                {
                    double o = q[246 + j];
                    for (int k = 0; k < 3; k++) o += h1[k] * q[240 + k * 2 + j];
                    total += (o - y[r * 2 + j]) * (o - y[r * 2 + j]) / 2;
                }
            }
            return total / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void Gru_biases_start_at_zero_and_the_recurrent_kernel_orthogonal()
    {
        var p = new StackedGru(seed: 1).Weights();
        for (int j = 0; j < 30; j++) Assert.Equal(0f, p[120 + j]);
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
            {
                double dot = 0;
                for (int j = 0; j < 15; j++) dot += p[45 + a * 15 + j] * p[45 + b * 15 + j];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 4);
            }
    }

    /// <summary>Keras's GRU with reset_after in float64: gates [z, r, h]; bias row 0 for the input, row 1 for the recurrent part.</summary>
    internal static double[][] Gru(double[] q, int kernel, int recurrent, int bias, double[][] sequence, int units, bool backwards, bool[]? keep = null)
    {
        int features = sequence[0].Length, g3 = 3 * units;
        var h = new double[units];
        var outputs = new double[sequence.Length][];
        for (int step = 0; step < sequence.Length; step++)
        {
            int t = backwards ? sequence.Length - 1 - step : step;
            if (keep is not null && !keep[t])
            {
                // Keras's mask: the state carries over and the output repeats the previous one (zeros at first).
                outputs[step] = step == 0 ? new double[units] : outputs[step - 1];
                continue;
            }
            var xt = sequence[t];
            var xp = new double[g3];
            var hp = new double[g3];
            for (int j = 0; j < g3; j++)
            {
                xp[j] = q[bias + j];
                hp[j] = q[bias + g3 + j];
                for (int k = 0; k < features; k++) xp[j] += xt[k] * q[kernel + k * g3 + j];
                for (int k = 0; k < units; k++) hp[j] += h[k] * q[recurrent + k * g3 + j];
            }
            var hNew = new double[units];
            for (int u = 0; u < units; u++)
            {
                double z = 1 / (1 + Math.Exp(-(xp[u] + hp[u])));
                double r = 1 / (1 + Math.Exp(-(xp[units + u] + hp[units + u])));
                double hh = Math.Tanh(xp[2 * units + u] + r * hp[2 * units + u]);
                hNew[u] = z * h[u] + (1 - z) * hh;
            }
            h = hNew;
            outputs[step] = hNew;
        }
        return outputs;
    }
}
