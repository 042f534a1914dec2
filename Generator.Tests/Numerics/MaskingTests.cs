using Gen;

namespace Gen.Generator.Tests.Numerics;

/// <summary>Padded integer sequences: an Embedding with MaskZero, an Activation passing the mask on, two recurrent layers reading it.</summary>
[Model(InputShape = [5])]
[Embedding(6, 3, MaskZero = true)]
[Activation(Activation.Tanh)]
[Lstm(4, ReturnSequences = true)]
[Gru(3, GoBackwards = true)]
[Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class PaddedSequences;

/// <summary>The same layers over sequences of 2: padding must not change what a masked model computes.</summary>
[Model(InputShape = [2])]
[Embedding(6, 3, MaskZero = true)]
[Activation(Activation.Tanh)]
[Lstm(4, ReturnSequences = true)]
[Gru(3, GoBackwards = true)]
[Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class ShortSequences;

/// <summary>Keras's masking in generated models: float64 gradients, and padding that changes nothing.</summary>
public class MaskingTests
{
    private const int Batch = 4, T = 5;

    // Left padding, right padding, a hole in the middle, and a row of padding only.
    private static readonly float[] Tokens =
    [
        0, 0, 3, 5, 1,
        2, 4, 0, 0, 0,
        1, 0, 5, 0, 2,
        0, 0, 0, 0, 0,
    ];

    [Fact]
    public void Masked_lstm_and_gru_have_the_gradients_of_a_float64_reference()
    {
        var model = new PaddedSequences(seed: 3);
        var random = new Random(6);
        var y = Enumerable.Range(0, Batch).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        model.Perturb(random);
        float loss = model.ComputeGradients(Tokens, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            // Table (6, 3) at 0; LSTM kernel (3, 16) at 18, recurrent (4, 16) at 66, bias (16) at 130;
            // GRU kernel (4, 9) at 146, recurrent (3, 9) at 182, bias (2, 9) at 209; Dense (3, 1) at 227, bias at 230.
            double total = 0;
            for (int r = 0; r < Batch; r++)
            {
                var keep = Enumerable.Range(0, T).Select(t => Tokens[r * T + t] != 0).ToArray();
                var rows = Enumerable.Range(0, T).Select(t => Enumerable.Range(0, 3).Select(d => Math.Tanh(q[(int)Tokens[r * T + t] * 3 + d])).ToArray()).ToArray();
                var states = LstmTests.Lstm(q, 18, 66, 130, rows, 4, backwards: false, keep);
                var h = GruTests.Gru(q, 146, 182, 209, states, 3, backwards: true, keep)[^1];
                double o = q[230];
                for (int k = 0; k < 3; k++) o += h[k] * q[227 + k];
                total += (o - y[r]) * (o - y[r]);
            }
            return total / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(231, w.Length);
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void Padding_before_or_after_a_sequence_changes_no_prediction()
    {
        var padded = new PaddedSequences(seed: 8);
        var short_ = new ShortSequences(seed: 1);
        short_.SetParameters(padded.Weights()); // no parameter depends on the sequence length

        var shortPrediction = short_.Predict(new float[,] { { 3, 5 } });
        var predictions = padded.Predict(new float[,] { { 0, 0, 0, 3, 5 }, { 3, 5, 0, 0, 0 }, { 0, 3, 5, 0, 0 } });
        for (int r = 0; r < 3; r++) Assert.Equal(shortPrediction[0, 0], predictions[r, 0], 6);
        Assert.NotEqual(shortPrediction[0, 0], padded.Predict(new float[,] { { 1, 1, 1, 3, 5 } })[0, 0]);
    }
}
