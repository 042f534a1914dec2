namespace Gen.Runtime.Tests.Training;

public sealed class TrainerTests
{
    /// <summary>n samples of width features: feature 0 is the sample id, the rest small values; y = id + 1.</summary>
    private static (float[,] X, float[] Y) Samples(int n, int width = 2)
    {
        var x = new float[n, width];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = i;
            for (int j = 1; j < width; j++) x[i, j] = 0.1f * j + 0.01f * i;
            y[i] = i + 1;
        }
        return (x, y);
    }

    private static History Fit(IModel model, Features x, Targets y, int epochs = 1, int batchSize = 32,
        double validationSplit = 0, (Features X, Targets Y)? validationData = null, bool shuffle = true,
        int? seed = null, float[]? sampleWeight = null)
        => Trainer.Fit(model, x, y, epochs, batchSize, validationSplit, validationData, shuffle, seed, verbose: 0, sampleWeight);

    // ---- History ----

    [Fact]
    public void History_HasLossAndMetricKeys_OneValuePerEpoch()
    {
        var (x, y) = Samples(10);
        var history = Fit(new LinearModel(2, 1), x, y, epochs: 3, batchSize: 4);
        Assert.Equal(["loss", "mae", "learning_rate"], history.Keys);
        Assert.Equal(3, history.Epochs);
        Assert.Equal(3, history["loss"].Count);
        Assert.Equal(3, history["mae"].Count);
    }

    [Fact]
    public void History_WithValidation_AddsValKeysAfterTrainingKeys()
    {
        var (x, y) = Samples(10);
        var history = Fit(new LinearModel(2, 1), x, y, epochs: 4, batchSize: 4, validationSplit: 0.2);
        Assert.Equal(["loss", "mae", "val_loss", "val_mae", "learning_rate"], history.Keys);
        foreach (var key in history.Keys) Assert.Equal(4, history[key].Count);

        var (xv, yv) = Samples(3);
        var withData = Fit(new LinearModel(2, 1), x, y, epochs: 2, validationData: (xv, yv));
        Assert.Equal(["loss", "mae", "val_loss", "val_mae", "learning_rate"], withData.Keys);
        Assert.Equal(2, withData["val_mae"].Count);
    }

    [Fact]
    public void Training_ReducesTheLoss()
    {
        // y = 2·x0 − x1 + 0.5 on x in [0, 1)².
        var x = new float[64, 2];
        var y = new float[64];
        for (int i = 0; i < 64; i++)
        {
            x[i, 0] = i / 64f;
            x[i, 1] = (i * 37 % 64) / 64f;
            y[i] = 2 * x[i, 0] - x[i, 1] + 0.5f;
        }
        var history = Fit(new LinearModel(2, 1, new Sgd(0.1f)), x, y, epochs: 20, batchSize: 8, seed: 1);
        Assert.True(history["loss"][^1] < 0.1f * history["loss"][0], $"loss went from {history["loss"][0]} to {history["loss"][^1]}");
    }

    // ---- Validation split ----

    [Fact]
    public void ValidationSplit_HoldsOutTheLastSamples_BeforeShuffling()
    {
        var (x, y) = Samples(10);
        var model = new LinearModel(2, 1) { TrainingIds = [], InferenceIds = [] };
        Fit(model, x, y, epochs: 3, batchSize: 3, validationSplit: 0.2, shuffle: true, seed: 7);
        // floor(10 · 0.8) = 8: samples 0..7 train, 8 and 9 validate (in order, every epoch).
        Assert.Equal(24, model.TrainingIds!.Count);
        Assert.All(model.TrainingIds, id => Assert.InRange(id, 0, 7));
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(Enumerable.Range(0, 8), model.TrainingIds.Skip(8 * epoch).Take(8).Order());
        Assert.Equal([8, 9, 8, 9, 8, 9], model.InferenceIds!);
    }

    [Fact]
    public void ValidationSplit_UsesKerasFloorForTheSplitPoint()
    {
        // 7 samples, split 0.3: floor(7 · 0.7) = floor(4.9) = 4 train, 3 validate.
        var (x, y) = Samples(7);
        var model = new LinearModel(2, 1) { TrainingIds = [], InferenceIds = [] };
        Fit(model, x, y, validationSplit: 0.3, shuffle: false);
        Assert.Equal([0, 1, 2, 3], model.TrainingIds!);
        Assert.Equal([4, 5, 6], model.InferenceIds!);
    }

    [Fact]
    public void ValidationLoss_IsTheLossOnTheHeldOutSamples_AfterTheEpoch()
    {
        // Learning rate 0 and zero weights: every prediction is 0, so the loss is mean(y²).
        var (x, y) = Samples(10);
        var history = Fit(new LinearModel(2, 1, new Sgd(0f)), x, y, batchSize: 4, validationSplit: 0.2);
        Assert.Equal((81f + 100f) / 2, history["val_loss"][0], 4);
        Assert.Equal((9f + 10f) / 2, history["val_mae"][0], 4);
        Assert.Equal((1 + 4 + 9 + 16 + 25 + 36 + 49 + 64) / 8f, history["loss"][0], 4);
    }

    // ---- Shuffling ----

    private static List<int> TrainingOrder(int n, int epochs, int? seed, bool shuffle = true)
    {
        var (x, y) = Samples(n);
        var model = new LinearModel(2, 1, new Sgd(0f)) { TrainingIds = [] };
        Fit(model, x, y, epochs: epochs, batchSize: 3, shuffle: shuffle, seed: seed);
        return model.TrainingIds!;
    }

    [Fact]
    public void Shuffle_SameSeed_GivesTheSameOrder()
    {
        Assert.Equal(TrainingOrder(20, 3, seed: 42), TrainingOrder(20, 3, seed: 42));
        Assert.Equal(TrainingOrder(20, 2, seed: null), TrainingOrder(20, 2, seed: 0));
    }

    [Fact]
    public void Shuffle_DifferentSeeds_GiveDifferentOrders()
    {
        Assert.NotEqual(TrainingOrder(20, 1, seed: 1), TrainingOrder(20, 1, seed: 2));
    }

    [Fact]
    public void Shuffle_EachEpochIsADifferentPermutation()
    {
        var order = TrainingOrder(20, 3, seed: 5);
        var epochs = Enumerable.Range(0, 3).Select(e => order.Skip(20 * e).Take(20).ToArray()).ToArray();
        foreach (var epoch in epochs) Assert.Equal(Enumerable.Range(0, 20), epoch.Order());
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(epochs[1], epochs[2]);
        Assert.NotEqual(Enumerable.Range(0, 20), epochs[0]);
    }

    [Fact]
    public void Shuffle_IsPinnedForASeed_SoItIsTheSameOnEveryMachine()
    {
        // Philox4x32-10 under key 42, stream 0 (epoch 1): a change here changes every user's runs.
        Assert.Equal(PinnedOrderSeed42, TrainingOrder(10, 1, seed: 42));
    }

    private static readonly int[] PinnedOrderSeed42 = [0, 8, 3, 7, 5, 6, 1, 9, 4, 2];

    [Fact]
    public void NoShuffle_KeepsTheOrderEveryEpoch()
    {
        var order = TrainingOrder(7, 2, seed: 3, shuffle: false);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6], order);
    }

    // ---- Batching and weighting ----

    [Fact]
    public void EpochLoss_WeightsBatchesBySize_KeepingThePartialLastBatch()
    {
        // 5 samples, batch 2, learning rate 0, zero weights: predictions are 0, y = 1..5.
        // Batch losses (1+4)/2 = 2.5, (9+16)/2 = 12.5, 25/1 = 25; weighted by size: (5 + 25 + 25)/5 = 11
        // (the unweighted mean of batch losses would be 13.33).
        var (x, y) = Samples(5);
        var model = new LinearModel(2, 1, new Sgd(0f)) { BatchSizes = [] };
        var history = Fit(model, x, y, batchSize: 2, shuffle: false);
        Assert.Equal([2, 2, 1], model.BatchSizes!);
        Assert.Equal(11f, history["loss"][0], 5);
        Assert.Equal(3f, history["mae"][0], 5);
    }

    [Fact]
    public void SampleWeights_FollowTheirSamplesThroughTheShuffle()
    {
        // Loss Σ(y²·w)/n = (1 + 0 + 18 + 16 + 25)/5 = 12 in any order; the metric divides by Σw: (1 + 0 + 6 + 4 + 5)/5 = 3.2.
        var (x, y) = Samples(5);
        float[] w = [1, 0, 2, 1, 1];
        for (int seed = 0; seed < 4; seed++)
        {
            var history = Fit(new LinearModel(2, 1, new Sgd(0f)), x, y, batchSize: 2, seed: seed, sampleWeight: w);
            Assert.Equal(12f, history["loss"][0], 5);
            Assert.Equal(3.2f, history["mae"][0], 5);
        }
    }

    [Fact]
    public void Metrics_UseTheForwardPassBeforeTheUpdate_AndResetEachEpoch()
    {
        // One batch per epoch. Epoch 1's metric is computed on the zero weights (mae = mean y = 3), not on the
        // updated ones; epoch 2's metric only sees epoch 2's predictions.
        var (x, y) = Samples(5);
        var model = new LinearModel(2, 1, new Sgd(0.01f));
        var history = Fit(model, x, y, epochs: 2, batchSize: 5, shuffle: false);
        Assert.Equal(3f, history["mae"][0], 5);
        Assert.Equal(11f, history["loss"][0], 5);

        var reference = new LinearModel(2, 1, new Sgd(0.01f));
        Trainer.TrainStep(reference, x, y);
        var afterOneStep = Trainer.Evaluate(reference, x, y);
        Assert.Equal(afterOneStep.Loss, history["loss"][1], 4);
        Assert.Equal(afterOneStep["mae"], history["mae"][1], 4);
    }

    // ---- Evaluate, TestStep, Predict, TrainStep ----

    [Fact]
    public void Evaluate_WeightsBatchesBySize_AndKeepsMetricsOverAllBatches()
    {
        var (x, y) = Samples(5);
        var model = new LinearModel(2, 1) { InferenceIds = [], BatchSizes = [] };
        var result = Trainer.Evaluate(model, x, y, batchSize: 2);
        Assert.Equal([0, 1, 2, 3, 4], model.InferenceIds!);
        Assert.Equal([2, 2, 1], model.BatchSizes!);
        Assert.Equal(11f, result.Loss, 5);
        Assert.Equal(["mae"], result.MetricNames);
        Assert.Equal(3f, result["mae"], 5);

        var weighted = Trainer.Evaluate(model, x, y, batchSize: 2, sampleWeight: [1, 0, 2, 1, 1]);
        Assert.Equal(12f, weighted.Loss, 5);
        Assert.Equal(3.2f, weighted["mae"], 5);
    }

    [Fact]
    public void Evaluate_DoesNotChangeTheParameters()
    {
        var (x, y) = Samples(5);
        var model = new LinearModel(2, 1);
        model.Parameters[0] = 0.5f;
        float[] before = model.Parameters.ToArray();
        Trainer.Evaluate(model, x, y);
        Trainer.TestStep(model, x, y);
        Assert.Equal(before, model.Parameters.ToArray());
    }

    [Fact]
    public void TestStep_IsTheLossAndMetricsOfOneBatch()
    {
        var (x, y) = Samples(5);
        var model = new LinearModel(2, 1) { BatchSizes = [] };
        var result = Trainer.TestStep(model, x, y);
        Assert.Equal([5], model.BatchSizes!);
        Assert.Equal(11f, result.Loss, 5);
        Assert.Equal(3f, result["mae"], 5);
    }

    [Fact]
    public void Predict_ReturnsSamplesByOutputs_ComputedInBatches()
    {
        var x = new float[7, 2];
        for (int i = 0; i < 7; i++) { x[i, 0] = i; x[i, 1] = -i; }
        var model = new LinearModel(2, 3) { BatchSizes = [] };
        // W = [[1, 2, 3], [4, 5, 6]], b = [0.5, 0, -0.5]
        float[] p = [1, 2, 3, 4, 5, 6, 0.5f, 0, -0.5f];
        p.CopyTo(model.Parameters);
        float[,] predictions = Trainer.Predict(model, x, batchSize: 3);
        Assert.Equal([3, 3, 1], model.BatchSizes!);
        Assert.Equal(7, predictions.GetLength(0));
        Assert.Equal(3, predictions.GetLength(1));
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(i * p[j] - i * p[3 + j] + p[6 + j], predictions[i, j], 5);
    }

    [Fact]
    public void TrainStep_ReturnsTheLossBeforeTheUpdate_AndUpdates()
    {
        var (x, y) = Samples(5);
        var model = new LinearModel(2, 1, new Sgd(0.01f));
        float loss = Trainer.TrainStep(model, x, y);
        Assert.Equal(11f, loss, 5);
        Assert.NotEqual(0f, model.Parameters[0]);
        Assert.Equal(1, model.Optimizer.Iterations);
    }

    [Fact]
    public void SpanTrainStep_MatchesTheArrayOverload()
    {
        var (x, y) = Samples(5);
        var a = new LinearModel(2, 1, new Sgd(0.01f));
        var b = new LinearModel(2, 1, new Sgd(0.01f));
        float[] flat = new float[10];
        Buffer.BlockCopy(x, 0, flat, 0, 40);
        float[] w = [1, 0.5f, 2, 1, 1];
        float la = Trainer.TrainStep(a, x, y, w);
        float lb = Trainer.TrainStep(b, flat, y, w, 5);
        Assert.Equal(la, lb);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
    }

    // ---- Allocation ----

    [Fact]
    public void SpanTrainStep_AllocatesNothingAfterWarmUp()
    {
        var model = new LinearModel(4, 3, new Adam(1e-3f));
        float[] x = new float[8 * 4], y = new float[8 * 3], w = new float[8];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 5) * 0.1f;
        for (int i = 0; i < y.Length; i++) y[i] = (i % 3) * 0.5f;
        Array.Fill(w, 1f);
        Trainer.TrainStep(model, x, y, w, 8);
        Trainer.TrainStep(model, x, y, ReadOnlySpan<float>.Empty, 8);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Trainer.TrainStep(model, x, y, w, 8);
            Trainer.TrainStep(model, x, y, ReadOnlySpan<float>.Empty, 8);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Fit_PerStepWorkAllocatesNothing_AfterTheFirstStep()
    {
        // The model records the allocation counter at each step; between two steps of one epoch run the
        // metric update, the optimizer, the loss tracking, the progress bar (redrawn every step here, since
        // the clock moves a second per read) and the next batch's gather. From the second step on, nothing.
        const int n = 50, batch = 4, epochs = 3, steps = (n + batch - 1) / batch;
        var (x, y) = Samples(n, 3);
        var (xv, yv) = Samples(6, 3);
        var model = new LinearModel(3, 1, new Adam(1e-3f)) { AllocationTrace = new long[steps * epochs] };
        var display = new ProgressDisplay(1, TextWriter.Null, interactive: true, new ManualTime { Step = TimeSpan.TicksPerSecond });
        Trainer.Fit(model, x, y, epochs, batch, 0, (xv, yv), shuffle: true, seed: 1, sampleWeight: Enumerable.Repeat(1f, n).ToArray(), display);

        Assert.Equal(steps * epochs, model.AllocationTraceCount);
        var trace = model.AllocationTrace!;
        for (int k = 1; k + 1 < trace.Length; k++)
        {
            if ((k + 1) % steps == 0) continue; // k + 1 starts a new epoch
            Assert.True(trace[k + 1] == trace[k], $"{trace[k + 1] - trace[k]} bytes allocated between steps {k + 1} and {k + 2}");
        }
    }
}
