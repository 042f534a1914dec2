namespace Gen.Runtime.Tests.Training;

/// <summary>
/// The training loops with a multi-output model: a linear model whose five outputs are two heads, price (2, MSE,
/// weight 1) and kind (3 logits, SCCE, weight 0.5), with targets [price (2) | kind label].
/// </summary>
public sealed class MultiOutputTrainingTests
{
    private static readonly OutputHead Price = new("price", new MeanSquaredError(), 1f, 0, 2, 0);
    private static readonly OutputHead Kind = new("kind", new SparseCategoricalCrossentropy(fromLogits: true), 0.5f, 2, 3, 2);

    private static LinearModel Model() => new(3, 5, new Adam(1e-2f), loss: new MultiOutputLoss(Price, Kind),
        metrics: () => [new OutputLossMetric(Price), new OutputLossMetric(Kind),
            new OutputMetric(Price, new MeanAbsoluteErrorMetric()), new OutputMetric(Kind, new SparseCategoricalAccuracyMetric())]);

    /// <summary>n samples of 3 features, the price targets (n, 2) and the kind labels (n) joined as the model reads them.</summary>
    private static (float[,] X, Targets Y) Samples(int n, int badLabelAt = -1)
    {
        var x = new float[n, 3];
        var price = new float[n, 2];
        var kind = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++) x[i, j] = 0.1f * ((i * 7 + j * 3) % 11) - 0.5f;
            price[i, 0] = x[i, 0] + x[i, 1];
            price[i, 1] = 2 * x[i, 2];
            kind[i] = i == badLabelAt ? 3 : i % 3;
        }
        return (x, Targets.Join([price, kind], [2, 1], ["y.Price", "y.Kind"]));
    }

    [Fact]
    public void Fit_LogsEachOutput_AndEvaluatesTheLossAsTheWeightedSumOfTheOutputLosses()
    {
        var (x, y) = Samples(20);
        var (xv, yv) = Samples(6);
        var model = Model();

        var history = Trainer.Fit(model, x, y, epochs: 3, batchSize: 4, validationData: (xv, yv), seed: 2, verbose: 0);
        var evaluation = Trainer.Evaluate(model, x, y, batchSize: 4);

        Assert.Equal(["loss", "price_loss", "kind_loss", "price_mean_absolute_error", "kind_sparse_categorical_accuracy",
            "val_loss", "val_price_loss", "val_kind_loss", "val_price_mean_absolute_error", "val_kind_sparse_categorical_accuracy", "learning_rate"], history.Keys);
        Assert.True(history["loss"][2] < history["loss"][0], $"the loss did not fall: {string.Join(", ", history["loss"])}");
        float priceLoss = evaluation.MetricValues[0], kindLoss = evaluation.MetricValues[1];
        Assert.True(priceLoss > 0 && kindLoss > 0);
        Assert.Equal(priceLoss + 0.5 * kindLoss, evaluation.Loss, 1e-5 * evaluation.Loss);
        // Validation: the same weighted sum, from the last epoch's logs.
        Assert.Equal(history["val_price_loss"][2] + 0.5 * history["val_kind_loss"][2], history["val_loss"][2], 1e-5 * history["val_loss"][2]);
    }

    [Fact]
    public void LabelOutOfRangeInASparseHead_IsRejectedBeforeTraining_NamingTheOutput()
    {
        var (x, bad) = Samples(5, badLabelAt: 3);
        var (xv, badValidation) = Samples(4, badLabelAt: 1);
        var (_, good) = Samples(5);

        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(Model(), x, bad, verbose: 0));
        Assert.Equal("y", fit.ParamName);
        Assert.Contains("y[3] is 3 for output \"kind\"", fit.Message);
        Assert.Contains("[0, 3)", fit.Message);
        var validation = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(Model(), x, good, validationData: (xv, badValidation), verbose: 0));
        Assert.Equal("validationData", validation.ParamName);
        Assert.Contains("validationData.Y[1] is 3 for output \"kind\"", validation.Message);
        var evaluate = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Evaluate(Model(), x, bad));
        Assert.Contains("\"kind\"", evaluate.Message);

        var flatX = new float[5 * 3];
        var flatY = bad.Flatten(3, "y", out _);
        var step = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.TrainStep(Model(), flatX, flatY, ReadOnlySpan<float>.Empty, 5));
        Assert.Equal("y", step.ParamName);
        Assert.Contains("y[3] is 3 for output \"kind\"", step.Message);
    }

    [Fact]
    public void SpanTrainStep_AllocatesNothingAfterWarmUp()
    {
        var (x, y) = Samples(8);
        var model = Model();
        var xs = new float[8 * 3];
        Buffer.BlockCopy(x, 0, xs, 0, xs.Length * sizeof(float));
        var ys = y.Flatten(3, "y", out _);
        var w = Enumerable.Repeat(0.5f, 8).ToArray();
        Trainer.TrainStep(model, xs, ys, w, 8);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Trainer.TrainStep(model, xs, ys, w, 8);
            Trainer.TrainStep(model, xs, ys, ReadOnlySpan<float>.Empty, 8);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Fit_PerStepWorkAllocatesNothing_AfterTheFirstStep()
    {
        // As the single-output test in TrainerTests: between two steps run the per-output metrics, the optimizer,
        // the loss tracking, the progress bar and the next batch's gather.
        const int n = 30, batch = 4, epochs = 2, steps = (n + batch - 1) / batch;
        var (x, y) = Samples(n);
        var model = Model();
        model.AllocationTrace = new long[steps * epochs];
        var display = new ProgressDisplay(1, TextWriter.Null, interactive: true, new ManualTime { Step = TimeSpan.TicksPerSecond });
        Trainer.Fit(model, x, y, epochs, batch, 0, null, shuffle: true, seed: 1, sampleWeight: Enumerable.Repeat(1f, n).ToArray(), display);

        var trace = model.AllocationTrace;
        Assert.Equal(steps * epochs, model.AllocationTraceCount);
        for (int k = 1; k + 1 < trace.Length; k++)
        {
            if ((k + 1) % steps == 0) continue; // k + 1 starts a new epoch
            Assert.True(trace[k + 1] == trace[k], $"{trace[k + 1] - trace[k]} bytes allocated between steps {k + 1} and {k + 2}");
        }
    }
}
