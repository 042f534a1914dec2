using Gen;

namespace Gen.Generator.Tests.Numerics;

/// <summary>The model-owned step against the custom-loop path, and weights crossing the model boundary by copies.</summary>
public sealed class StepTests
{
    private static (float[,] X, float[] Y) Data(int n, int width, int seed)
    {
        var random = new Random(seed);
        var x = new float[n, width];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < width; j++) x[i, j] = (float)(random.NextDouble() * 2 - 1);
            y[i] = random.Next(3);
        }
        return (x, y);
    }

    [Fact]
    public void Fit_IsTheSameAsComputeGradientsThenApplyGradients_OnRowsOfBothInputsAndOutputs()
    {
        // Two inputs and two outputs: Fit's step reads each part in place; the custom loop hands over side-by-side rows.
        const int n = 12;
        var (meta, _) = Data(n, 3, 1);
        var text = new float[n, 4];
        var random = new Random(2);
        for (int i = 0; i < n; i++) for (int t = 0; t < 4; t++) text[i, t] = random.Next(6);
        var a = new TwoInputs(seed: 3);
        var b = new TwoInputs(seed: 3);
        var (_, y) = Data(n, 1, 4);
        a.Fit(new TwoInputs.Features(text, meta), y, epochs: 1, batchSize: n, shuffle: false, verbose: 0);

        var rows = new float[n * 7];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < 4; t++) rows[i * 7 + t] = text[i, t];
            for (int k = 0; k < 3; k++) rows[i * 7 + 4 + k] = meta[i, k];
        }
        b.ComputeGradients(rows, y, default, n);
        b.ApplyGradients();
        Assert.Equal(b.Weights(), a.Weights());
    }

    [Fact]
    public void Fit_OfTwoHeads_IsTheSameAsTheCustomLoop_AndLogsEachHeadsLoss()
    {
        const int n = 10;
        var (x, labels) = Data(n, 4, 5);
        var (_, price) = Data(n, 1, 6);
        var prices = new float[n, 2];
        for (int i = 0; i < n; i++) { prices[i, 0] = price[i]; prices[i, 1] = -price[i]; }
        var a = new TwoHeads(seed: 7);
        var b = new TwoHeads(seed: 7);
        var history = a.Fit(x, new TwoHeads.Targets(prices, labels), epochs: 1, batchSize: n, shuffle: false, verbose: 0);

        var xRows = new float[n * 4];
        var yRows = new float[n * 3]; // the price's 2 values, then the label
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 4; j++) xRows[i * 4 + j] = x[i, j];
            yRows[i * 3] = prices[i, 0];
            yRows[i * 3 + 1] = prices[i, 1];
            yRows[i * 3 + 2] = labels[i];
        }
        float loss = b.ComputeGradients(xRows, yRows, default, n);
        b.ApplyGradients();
        Assert.Equal(b.Weights(), a.Weights());
        Assert.Equal(loss, history["loss"][0]);
        Assert.Equal(loss, history["price_loss"][0] + 0.5f * history["category_loss"][0], 5);
    }

    [Fact]
    public void Weights_AndGradients_CrossByCopies_AndABufferOfTheWrongLengthIsAnError()
    {
        var model = new TwoHeads(seed: 1);
        var weights = model.Weights();
        Assert.Equal(model.ParameterCount, weights.Length);
        weights[0] = 42f;
        Assert.NotEqual(42f, model.Weights()[0]); // a copy, not a view
        model.SetParameters(weights);
        Assert.Equal(42f, model.Weights()[0]);

        var error = Assert.Throws<ArgumentException>(() => model.CopyParametersTo(new float[model.ParameterCount - 1]));
        Assert.Equal("destination", error.ParamName);
        Assert.Contains($"Expected {model.ParameterCount} floats (the parameters); got {model.ParameterCount - 1}", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => model.SetGradients(new float[model.ParameterCount + 1]));
        Assert.Equal("values", error.ParamName);
    }

    [Fact]
    public void SetGradients_ThenApplyGradients_IsTheOptimizersUpdateOfThoseGradients()
    {
        var model = new WithSgd(seed: 2);
        var standalone = new Sgd(learningRate: 0.1f, momentum: 0.9f, nesterov: true) { GlobalClipNorm = 0.5f, GradientAccumulationSteps = 2 };
        float[] weights = model.Weights();
        var gradients = new float[model.ParameterCount];
        var random = new Random(3);
        for (int step = 0; step < 4; step++)
        {
            for (int i = 0; i < gradients.Length; i++) gradients[i] = (float)(random.NextDouble() - 0.5);
            model.SetGradients(gradients);
            model.ApplyGradients();
            standalone.Apply(weights, gradients);
            Assert.Equal(weights, model.Weights());
        }
    }

    [Fact]
    public void The_running_loss_is_what_Evaluate_reports_and_is_reset_for_each_evaluation()
    {
        var (x, y) = Data(9, 4, 8);
        var model = new WithAdamW(seed: 4);
        int[] labels = y.Select(v => (int)v).ToArray();
        var first = model.Evaluate(x, labels, batchSize: 4);
        var second = model.Evaluate(x, labels, batchSize: 4);
        Assert.Equal(first.Loss, second.Loss); // nothing carried over from the first evaluation
        float manual = 0;
        var predictions = model.Predict(x);
        for (int i = 0; i < 9; i++) manual -= MathF.Log(MathF.Max(predictions[i, labels[i]], 1e-7f)) / 9;
        Assert.Equal(manual, first.Loss, 4);
    }
}
