using Gen;

namespace Gen.Generator.Tests.Numerics;

[Model(InputShape = [4, 3])]
[Lstm(5, ReturnSequences = true)]
[Lstm(3, GoBackwards = true)]
[Dense(2)]
[Loss(LossKind.MeanSquaredError)]
[Adam]
internal partial class StackedLstm;

/// <summary>The seeds' LSTM classifier: LSTM 64 with sequences, LSTM 32, a sigmoid unit, global clipping.</summary>
[Model(InputShape = [20, 3])]
[Lstm(16, ReturnSequences = true)]
[Lstm(8)]
[Dense(1, Activation.Sigmoid)]
[Loss(LossKind.BinaryCrossentropy)]
[Adam(LearningRate = 1e-2, GlobalClipNorm = 1.0)]
[Metrics(MetricKind.BinaryAccuracy)]
internal partial class SequenceClassifier;

/// <summary>Generated LSTM layers: every gradient against float64 backpropagation through an independent reference.</summary>
public class LstmTests
{
    private const int Batch = 3, T = 4, F = 3;

    [Fact]
    public void Stacked_lstms_with_sequences_and_go_backwards_have_the_gradients_of_a_float64_reference()
    {
        var model = new StackedLstm(seed: 8);
        var random = new Random(2);
        var x = Enumerable.Range(0, Batch * T * F).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, Batch * 2).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Assert.Equal(296, model.ParameterCount);
        model.Perturb(random);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            double total = 0;
            for (int r = 0; r < Batch; r++)
            {
                var sequence = new double[T][];
                for (int t = 0; t < T; t++) sequence[t] = Enumerable.Range(0, F).Select(k => (double)x[(r * T + t) * F + k]).ToArray();
                // Layer 0: kernel (3, 20) at 0, recurrent (5, 20) at 60, bias (20) at 160; every step, forwards.
                var h0 = Lstm(q, 0, 60, 160, sequence, 5, backwards: false);
                // Layer 1: kernel (5, 12) at 180, recurrent (3, 12) at 240, bias (12) at 276; backwards, last state.
                var h1 = Lstm(q, 180, 240, 276, h0, 3, backwards: true)[^1];
                for (int j = 0; j < 2; j++)
                {
                    double o = q[294 + j];
                    for (int k = 0; k < 3; k++) o += h1[k] * q[288 + k * 2 + j];
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
    public void The_recurrent_kernel_starts_orthogonal_and_the_forget_bias_at_one()
    {
        var p = new StackedLstm(seed: 1).Weights();
        // Layer 0's recurrent kernel (5, 20): rows orthonormal.
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
            {
                double dot = 0;
                for (int j = 0; j < 20; j++) dot += p[60 + a * 20 + j] * p[60 + b * 20 + j];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 4);
            }
        for (int j = 0; j < 20; j++) Assert.Equal(j is >= 5 and < 10 ? 1f : 0f, p[160 + j]);
    }

    [Fact]
    public void The_seeds_lstm_classifier_learns_the_sign_of_a_sequence_sum()
    {
        var random = new Random(4);
        const int n = 256;
        var x = new float[n, 60];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < 60; j++) sum += (x[i, j] = (float)(random.NextDouble() * 2 - 1)) * (j % 3 == 0 ? 1 : 0);
            y[i] = sum > 0 ? 1 : 0;
        }
        var model = new SequenceClassifier(seed: 3);
        var history = model.Fit(x, y, epochs: 8, batchSize: 32, seed: 1, verbose: 0);
        Assert.True(history["loss"][^1] < history["loss"][0] * 0.8, $"loss: {string.Join(", ", history["loss"])}");
        Assert.True(history["binary_accuracy"][^1] > 0.75f, $"accuracy: {string.Join(", ", history["binary_accuracy"])}");
    }

    /// <summary>An LSTM in float64: gates [i, f, c, o]; returns the hidden state after each processing step.</summary>
    internal static double[][] Lstm(double[] q, int kernel, int recurrent, int bias, double[][] sequence, int units, bool backwards, bool[]? keep = null)
    {
        int features = sequence[0].Length, g4 = 4 * units;
        var h = new double[units];
        var c = new double[units];
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
            var z = new double[g4];
            for (int j = 0; j < g4; j++)
            {
                z[j] = q[bias + j];
                for (int k = 0; k < features; k++) z[j] += xt[k] * q[kernel + k * g4 + j];
                for (int k = 0; k < units; k++) z[j] += h[k] * q[recurrent + k * g4 + j];
            }
            var hNew = new double[units];
            for (int u = 0; u < units; u++)
            {
                double i = Sigmoid(z[u]), f = Sigmoid(z[units + u]), g = Math.Tanh(z[2 * units + u]), o = Sigmoid(z[3 * units + u]);
                c[u] = f * c[u] + i * g;
                hNew[u] = o * Math.Tanh(c[u]);
            }
            h = hNew;
            outputs[step] = hNew;
        }
        return outputs;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
