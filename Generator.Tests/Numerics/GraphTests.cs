using Gen;

namespace Gen.Generator.Tests.Numerics;

/// <summary>A shared trunk and two heads, each with its own loss, weight and metric.</summary>
[Model(InputShape = [4])]
[Dense(5, Activation.Tanh, Name = "shared")]
[Dense(2, Name = "price", From = "shared")]
[Dense(3, Activation.Softmax, Name = "category", From = "shared")]
[Output("price", LossKind.MeanSquaredError, Metrics = [MetricKind.MeanAbsoluteError])]
[Output("category", LossKind.SparseCategoricalCrossentropy, Weight = 0.5, Metrics = [MetricKind.SparseCategoricalAccuracy])]
[Sgd]
internal partial class TwoHeads;

/// <summary>Joins: an Add, a Concatenate of three (one of them the input), and a layer read twice.</summary>
[Model(InputShape = [6])]
[Dense(4, Activation.Relu, Name = "a")]
[Dense(4, Activation.Tanh, Name = "b", From = "input")]
[Add("a", "b", Name = "sum")]
[Concatenate("sum", "a", "input", Name = "joined")]
[Dense(3)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class Joins;

/// <summary>Flat samples reshaped into sequences, an LSTM, BatchNormalization over (B·T) rows, an Activation layer, Flatten.</summary>
[Model(InputShape = [12])]
[Reshape(3, 4)]
[Lstm(3, ReturnSequences = true)]
[BatchNormalization]
[Activation(Activation.Tanh)]
[Flatten]
[Dense(2)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class SequenceGraph;

/// <summary>Integer tokens through an Embedding.</summary>
[Model(InputShape = [5])]
[Embedding(7, 3)]
[Flatten]
[Dense(2)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class Embedded;

/// <summary>BatchNormalization of the raw input: its γ and β train, no input gradient is wanted.</summary>
[Model(InputShape = [4])]
[BatchNormalization]
[Dense(3)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class NormalisedInput;

/// <summary>An output that another output reads: its gradient is its loss's plus what flows back from the second.</summary>
[Model(InputShape = [3])]
[Dense(2, Name = "first")]
[Dense(2, Activation.Tanh, Name = "second")]
[Output("first", LossKind.MeanSquaredError)]
[Output("second", LossKind.MeanAbsoluteError, Weight = 2.0)]
[Adam]
internal partial class ChainedHeads;

/// <summary>Per-output custom metrics and top-k.</summary>
[Model(InputShape = [5])]
[Dense(6, Activation.Relu, Name = "trunk")]
[Dense(1, Activation.Sigmoid, Name = "risk")]
[Dense(4, Activation.Softmax, Name = "kind", From = "trunk")]
[Output("risk", LossKind.BinaryCrossentropy, CustomMetrics = [typeof(PredictedPositiveRate)])]
[Output("kind", LossKind.SparseCategoricalCrossentropy, Metrics = [MetricKind.SparseTopKCategoricalAccuracy], TopK = 2)]
[Adam]
internal partial class RiskAndKind;

/// <summary>Two named inputs: tokens through an Embedding, numbers through a Dense layer, joined.</summary>
[Model]
[Input("text", 4)]
[Input("meta", 3)]
[Embedding(6, 2, From = "text")]
[Flatten(Name = "words")]
[Dense(2, Activation.Tanh, Name = "numbers", From = "meta")]
[Concatenate("words", "numbers", "meta")]
[Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class TwoInputs;

/// <summary>A decision threshold other than 0.5 for binary accuracy, precision and recall.</summary>
[Model(InputShape = [3])]
[Dense(1, Activation.Sigmoid)]
[Loss(LossKind.BinaryCrossentropy)]
[Adam]
[Metrics(MetricKind.BinaryAccuracy, MetricKind.Precision, MetricKind.Recall, Threshold = 0.3)]
internal partial class LowThreshold;

/// <summary>Generated graphs: every gradient against float64 central differences of an independent reference.</summary>
public class GraphTests
{
    private const int Batch = 6;

    private static float[] Uniform(Random random, int count, double low = -1, double high = 1) =>
        Enumerable.Range(0, count).Select(_ => (float)(low + random.NextDouble() * (high - low))).ToArray();

    /// <summary>y = x @ W + b for one row, W (inputs, units) at kernel, b at bias.</summary>
    private static double[] Dense(double[] q, int kernel, int bias, double[] x, int units)
    {
        var y = new double[units];
        for (int j = 0; j < units; j++)
        {
            y[j] = bias < 0 ? 0 : q[bias + j];
            for (int k = 0; k < x.Length; k++) y[j] += x[k] * q[kernel + k * units + j];
        }
        return y;
    }

    private static double Mse(double[] prediction, float[] y, int row)
    {
        double total = 0;
        for (int j = 0; j < prediction.Length; j++) total += (prediction[j] - y[row * prediction.Length + j]) * (prediction[j] - y[row * prediction.Length + j]);
        return total / prediction.Length;
    }

    private static double[] Row(float[] x, int row, int width) => Enumerable.Range(0, width).Select(k => (double)x[row * width + k]).ToArray();

    [Fact]
    public void Two_heads_have_the_gradient_of_the_weighted_sum_of_their_losses()
    {
        var model = new TwoHeads(seed: 4);
        var random = new Random(1);
        var x = Uniform(random, Batch * 4);
        // Each sample's targets side by side: the price's 2 values, then the category's label.
        var y = new float[Batch * 3];
        for (int r = 0; r < Batch; r++)
        {
            y[r * 3] = (float)random.NextDouble();
            y[r * 3 + 1] = (float)random.NextDouble();
            y[r * 3 + 2] = r % 3;
        }
        model.Perturb(random);
        Assert.Equal(55, model.ParameterCount);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            double price = 0, category = 0;
            for (int r = 0; r < Batch; r++)
            {
                var h = Dense(q, 0, 20, Row(x, r, 4), 5).Select(Math.Tanh).ToArray();
                var p = Dense(q, 25, 35, h, 2);
                price += ((p[0] - y[r * 3]) * (p[0] - y[r * 3]) + (p[1] - y[r * 3 + 1]) * (p[1] - y[r * 3 + 1])) / 2;
                var z = Dense(q, 37, 52, h, 3);
                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                category += -(z[(int)y[r * 3 + 2]] - max - Math.Log(sum));
            }
            return price / Batch + 0.5 * category / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void Two_heads_evaluate_predict_and_fit_by_output_name()
    {
        var model = new TwoHeads(seed: 2);
        var random = new Random(3);
        const int n = 10;
        var x = new float[n, 4];
        var price = new float[n, 2];
        var labels = new int[n];
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < 4; k++) x[r, k] = (float)(random.NextDouble() * 2 - 1);
            price[r, 0] = x[r, 0] + x[r, 1];
            price[r, 1] = x[r, 2];
            labels[r] = r % 3;
        }

        var predictions = model.Predict(x);
        Assert.Equal(n, predictions.Price.GetLength(0));
        Assert.Equal(2, predictions.Price.GetLength(1));
        Assert.Equal(3, predictions.Category.GetLength(1));

        // Independent float64 results from the predictions.
        double mse = 0, mae = 0, ce = 0, correct = 0;
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < 2; j++)
            {
                double e = predictions.Price[r, j] - price[r, j];
                mse += e * e / 2 / n;
                mae += Math.Abs(e) / 2 / n;
            }
            ce += -Math.Log(predictions.Category[r, labels[r]]) / n;
            int argmax = Enumerable.Range(0, 3).MaxBy(j => predictions.Category[r, j]);
            correct += argmax == labels[r] ? 1.0 / n : 0;
        }

        var result = model.Evaluate(x, new TwoHeads.Targets(price, labels), batchSize: 4);
        Assert.Equal(mse, result.Price.Loss, 4);
        Assert.Equal(mae, result.Price.MeanAbsoluteError, 4);
        Assert.Equal(ce, result.Category.Loss, 4);
        Assert.Equal(correct, result.Category.SparseCategoricalAccuracy, 5);
        Assert.Equal(mse + 0.5 * ce, result.Loss, 4);

        var history = model.Fit(x, new TwoHeads.Targets(price, labels), epochs: 3, batchSize: 4, verbose: 0,
            validationData: (x, new TwoHeads.Targets(price, labels)));
        foreach (string key in (string[])["loss", "price_loss", "category_loss", "price_mean_absolute_error", "category_sparse_categorical_accuracy", "val_loss", "val_price_loss"])
            Assert.Equal(3, history[key].Count);
        Assert.True(history["loss"][^1] < history["loss"][0], string.Join(", ", history["loss"]));
    }

    [Fact]
    public void Targets_per_output_are_checked_by_name()
    {
        var model = new TwoHeads(seed: 2);
        var x = new float[4, 4];
        var error = Assert.Throws<ArgumentException>(() => model.Evaluate(x, new TwoHeads.Targets(new float[4, 2], new int[3])));
        Assert.Contains("y.Category", error.Message, StringComparison.Ordinal);
        var label = Assert.ThrowsAny<ArgumentException>(() => model.Evaluate(x, new TwoHeads.Targets(new float[4, 2], new[] { 0, 1, 3, 0 })));
        Assert.Contains("category", label.Message, StringComparison.Ordinal);
        Assert.Contains("y.Category", error.ParamName ?? error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => model.Fit(x, null!, verbose: 0));
    }

    [Fact]
    public void Add_concatenate_and_a_layer_read_twice_have_the_gradients_of_a_float64_reference()
    {
        var model = new Joins(seed: 6);
        var random = new Random(7);
        var x = Uniform(random, Batch * 6);
        var y = Uniform(random, Batch * 3);
        model.Perturb(random);
        Assert.Equal(101, model.ParameterCount);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            double total = 0;
            for (int r = 0; r < Batch; r++)
            {
                var input = Row(x, r, 6);
                var a = Dense(q, 0, 24, input, 4).Select(v => Math.Max(v, 0)).ToArray();
                var b = Dense(q, 28, 52, input, 4).Select(Math.Tanh).ToArray();
                var sum = a.Zip(b, (u, v) => u + v).ToArray();
                var joined = sum.Concat(a).Concat(input).ToArray();
                total += Mse(Dense(q, 56, 98, joined, 3), y, r);
            }
            return total / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void Reshape_lstm_batch_normalisation_over_timesteps_activation_and_flatten_have_the_gradients_of_a_float64_reference()
    {
        var model = new SequenceGraph(seed: 9);
        var random = new Random(8);
        var x = Uniform(random, Batch * 12);
        var y = Uniform(random, Batch * 2);
        model.Perturb(random);
        Assert.Equal(122, model.ParameterCount);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            // LSTM: kernel (4, 12) at 0, recurrent (3, 12) at 48, bias at 84; BatchNorm γ at 96, β at 99; Dense (9, 2) at 102, bias at 120.
            var states = new double[Batch][][];
            for (int r = 0; r < Batch; r++)
            {
                var sequence = Enumerable.Range(0, 3).Select(t => Row(x, r * 3 + t, 4)).ToArray();
                states[r] = LstmTests.Lstm(q, 0, 48, 84, sequence, 3, backwards: false);
            }
            // Batch statistics over all B·T rows of each feature, biased variance, ε = 1e-3.
            for (int u = 0; u < 3; u++)
            {
                double mean = 0, variance = 0;
                foreach (var sample in states) foreach (var h in sample) mean += h[u] / (Batch * 3);
                foreach (var sample in states) foreach (var h in sample) variance += (h[u] - mean) * (h[u] - mean) / (Batch * 3);
                foreach (var sample in states)
                    foreach (var h in sample) h[u] = Math.Tanh((h[u] - mean) / Math.Sqrt(variance + 1e-3) * q[96 + u] + q[99 + u]);
            }
            double total = 0;
            for (int r = 0; r < Batch; r++) total += Mse(Dense(q, 102, 120, states[r].SelectMany(h => h).ToArray(), 2), y, r);
            return total / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void An_embedding_has_the_gradients_of_a_float64_reference_with_repeated_tokens()
    {
        var model = new Embedded(seed: 5);
        var random = new Random(6);
        var x = Enumerable.Range(0, Batch * 5).Select(i => (float)(i * 3 % 7)).ToArray(); // every token appears, several repeat
        var y = Uniform(random, Batch * 2);
        var p = model.Weights();
        for (int i = 0; i < 21; i++) Assert.InRange(p[i], -0.05f, 0.05f); // Keras's RandomUniform(−0.05, 0.05)
        model.Perturb(random);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            double total = 0;
            for (int r = 0; r < Batch; r++)
            {
                var rows = Enumerable.Range(0, 5).SelectMany(t => Enumerable.Range(0, 3).Select(d => q[(int)x[r * 5 + t] * 3 + d])).ToArray();
                total += Mse(Dense(q, 21, 51, rows, 2), y, r);
            }
            return total / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
        Assert.Throws<ArgumentException>(() => model.Predict(new float[,] { { 0, 1, 2, 3, 7 } })); // 7 is outside the vocabulary
    }

    [Fact]
    public void Batch_normalisation_of_the_input_trains_gamma_and_beta()
    {
        var model = new NormalisedInput(seed: 1);
        var random = new Random(2);
        var x = Uniform(random, Batch * 4, -2, 3);
        var y = Uniform(random, Batch * 3);
        model.Perturb(random);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            var h = new double[Batch][];
            for (int r = 0; r < Batch; r++) h[r] = Row(x, r, 4);
            for (int j = 0; j < 4; j++)
            {
                double mean = h.Average(row => row[j]);
                double variance = h.Average(row => (row[j] - mean) * (row[j] - mean));
                foreach (var row in h) row[j] = (row[j] - mean) / Math.Sqrt(variance + 1e-3) * q[j] + q[4 + j];
            }
            double total = 0;
            for (int r = 0; r < Batch; r++) total += Mse(Dense(q, 8, 20, h[r], 3), y, r);
            return total / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void An_output_read_by_another_output_has_the_gradient_of_both_losses()
    {
        var model = new ChainedHeads(seed: 3);
        var random = new Random(9);
        var x = Uniform(random, Batch * 3);
        var y = Uniform(random, Batch * 4); // first's 2 targets, then second's 2
        model.Perturb(random);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            double first = 0, second = 0;
            for (int r = 0; r < Batch; r++)
            {
                var a = Dense(q, 0, 6, Row(x, r, 3), 2);
                var b = Dense(q, 8, 12, a, 2).Select(Math.Tanh).ToArray();
                for (int j = 0; j < 2; j++)
                {
                    first += (a[j] - y[r * 4 + j]) * (a[j] - y[r * 4 + j]) / 2;
                    second += Math.Abs(b[j] - y[r * 4 + 2 + j]) / 2;
                }
            }
            return first / Batch + 2 * second / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);
    }

    [Fact]
    public void Each_output_has_its_own_custom_metrics_and_top_k()
    {
        var model = new RiskAndKind(seed: 7);
        var random = new Random(5);
        const int n = 12;
        var x = new float[n, 5];
        var risk = new float[n];
        var kind = new int[n];
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < 5; k++) x[r, k] = (float)(random.NextDouble() * 4 - 2);
            risk[r] = r % 2;
            kind[r] = r % 4;
        }
        var predictions = model.Predict(x);
        double positive = 0, topTwo = 0;
        for (int r = 0; r < n; r++)
        {
            positive += predictions.Risk[r, 0] > 0.5f ? 1.0 / n : 0;
            int above = Enumerable.Range(0, 4).Count(j => predictions.Kind[r, j] > predictions.Kind[r, kind[r]]);
            topTwo += above < 2 ? 1.0 / n : 0;
        }

        var result = model.Evaluate(x, new RiskAndKind.Targets(risk, kind));
        Assert.Equal(positive, result.Risk.PredictedPositiveRate, 5);
        Assert.Equal(topTwo, result.Kind.SparseTopKCategoricalAccuracy, 5);
        Assert.Equal(2, Assert.IsType<SparseTopKCategoricalAccuracyMetric>(((HeadMetric)model.CreateMetrics()[3]).Inner).K);
        var history = model.Fit(x, new RiskAndKind.Targets(risk, kind), epochs: 1, verbose: 0);
        Assert.Single(history["risk_predicted_positive_rate"]);
        Assert.Single(history["kind_sparse_top_k_categorical_accuracy"]);
    }

    [Fact]
    public void Two_inputs_have_the_gradients_of_a_float64_reference_and_take_features_by_name()
    {
        var model = new TwoInputs(seed: 2);
        var random = new Random(4);
        // Each sample's inputs side by side: the 4 token ids of "text", then the 3 numbers of "meta".
        var x = new float[Batch * 7];
        for (int r = 0; r < Batch; r++)
        {
            for (int t = 0; t < 4; t++) x[r * 7 + t] = (r + 2 * t) % 6;
            for (int k = 0; k < 3; k++) x[r * 7 + 4 + k] = (float)(random.NextDouble() * 2 - 1);
        }
        var y = Uniform(random, Batch);
        model.Perturb(random);
        Assert.Equal(7, model.InputSize);
        float loss = model.ComputeGradients(x, y, default, Batch);
        float[] analytic = model.GradientValues();

        double Reference(double[] q)
        {
            // Embedding table (6, 2) at 0; numbers kernel (3, 2) at 12, bias at 18; output kernel (13, 1) at 20, bias at 33.
            double total = 0;
            for (int r = 0; r < Batch; r++)
            {
                var words = Enumerable.Range(0, 4).SelectMany(t => new[] { q[(int)x[r * 7 + t] * 2], q[(int)x[r * 7 + t] * 2 + 1] });
                var meta = Enumerable.Range(0, 3).Select(k => (double)x[r * 7 + 4 + k]).ToArray();
                var numbers = Dense(q, 12, 18, meta, 2).Select(Math.Tanh);
                var o = Dense(q, 20, 33, words.Concat(numbers).Concat(meta).ToArray(), 1)[0];
                total += (o - y[r]) * (o - y[r]);
            }
            return total / Batch;
        }

        double[] w = model.Weights().Select(v => (double)v).ToArray();
        Assert.Equal(Reference(w), loss, 5);
        CentralDifferences.AssertGradients(analytic, w, Reference);

        // The typed API joins the inputs the same way.
        var text = new float[Batch, 4];
        var meta = new float[Batch, 3];
        for (int r = 0; r < Batch; r++)
        {
            for (int t = 0; t < 4; t++) text[r, t] = x[r * 7 + t];
            for (int k = 0; k < 3; k++) meta[r, k] = x[r * 7 + 4 + k];
        }
        var predictions = model.Predict(new TwoInputs.Features(Text: text, Meta: meta));
        // The runtime's step reads the inputs part by part, each input's block where its layers read it.
        IModel runtimeView = model;
        var parts = new float[x.Length];
        PartMajor.FromRows(x, Batch, runtimeView.InputWidths, parts);
        runtimeView.Forward(parts, Batch);
        var output = new float[Batch];
        runtimeView.ReadOutput(output);
        Assert.Equal(output, predictions.Cast<float>().ToArray());
        var history = model.Fit(new TwoInputs.Features(text, meta), y, epochs: 2, batchSize: 3, verbose: 0);
        Assert.Equal(2, history["loss"].Count);
        var error = Assert.ThrowsAny<ArgumentException>(() => model.Predict(new TwoInputs.Features(text, new float[Batch, 2])));
        Assert.Contains("x.Meta", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_metrics_threshold_applies_to_binary_accuracy_precision_and_recall()
    {
        var model = new LowThreshold(seed: 3);
        var random = new Random(8);
        const int n = 40;
        var x = new float[n, 3];
        var y = new float[n];
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < 3; k++) x[r, k] = (float)(random.NextDouble() * 4 - 2);
            y[r] = r % 3 == 0 ? 1 : 0;
        }
        var p = model.Predict(x);
        double correct = 0, truePositive = 0, predictedPositive = 0, positive = 0;
        for (int r = 0; r < n; r++)
        {
            bool yes = p[r, 0] > 0.3f;
            correct += yes == (y[r] == 1) ? 1 : 0;
            truePositive += yes && y[r] == 1 ? 1 : 0;
            predictedPositive += yes ? 1 : 0;
            positive += y[r];
        }
        Assert.InRange(predictedPositive, 1, n - 1); // the threshold matters for this data

        var result = model.Evaluate(x, y);
        Assert.Equal(correct / n, result.BinaryAccuracy, 5);
        Assert.Equal(truePositive / predictedPositive, result.Precision, 5);
        Assert.Equal(truePositive / positive, result.Recall, 5);
    }
}
