using Gen.Checkpoints;
using Gen.Runtime.Tests.Training;

namespace Gen.Runtime.Tests.Callbacks;

/// <summary>The callback hooks inside Fit, and the smaller callbacks: TerminateOnNaN, LearningRateScheduler, CsvLogger, ModelCheckpoint.</summary>
public sealed class CallbackTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gen-callbacks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (float[,] X, float[] Y) Samples(int n)
    {
        var x = new float[n, 2];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = i / (float)n;
            x[i, 1] = (i % 3) / 3f;
            y[i] = 2 * x[i, 0] - x[i, 1] + 0.5f;
        }
        return (x, y);
    }

    private static History Fit(IModel model, int n, int epochs, int batchSize, double validationSplit, params Callback[] callbacks)
    {
        var (x, y) = Samples(n);
        return Trainer.Fit(model, x, y, epochs, batchSize, validationSplit, shuffle: false, verbose: 0, callbacks: callbacks);
    }

    /// <summary>Points the run's message and warning writers at test buffers (must come first in the list).</summary>
    private sealed class Capture(StringWriter messages, StringWriter warnings) : Callback
    {
        public override void OnTrainBegin(TrainingContext context)
        {
            context.Messages = messages;
            context.Warnings = warnings;
        }
    }

    // ---- Order of events ----

    [Fact]
    public void Fit_CallsTheHooksInKerasOrder_CallbacksInTheOrderGiven()
    {
        var events = new List<string>();
        Fit(new LinearModel(2, 1), n: 5, epochs: 2, batchSize: 2, validationSplit: 0.2, new Recorder("a", events), new Recorder("b", events));
        string[] expected =
        [
            "a train_begin 2x2", "b train_begin 2x2",
            "a epoch_begin 0", "b epoch_begin 0",
            "a batch_begin 0", "b batch_begin 0", "a batch_end 0 loss,mae", "b batch_end 0 loss,mae",
            "a batch_begin 1", "b batch_begin 1", "a batch_end 1 loss,mae", "b batch_end 1 loss,mae",
            "a epoch_end 0 loss,mae,val_loss,val_mae,learning_rate", "b epoch_end 0 loss,mae,val_loss,val_mae,learning_rate",
            "a epoch_begin 1", "b epoch_begin 1",
            "a batch_begin 0", "b batch_begin 0", "a batch_end 0 loss,mae", "b batch_end 0 loss,mae",
            "a batch_begin 1", "b batch_begin 1", "a batch_end 1 loss,mae", "b batch_end 1 loss,mae",
            "a epoch_end 1 loss,mae,val_loss,val_mae,learning_rate", "b epoch_end 1 loss,mae,val_loss,val_mae,learning_rate",
            "a train_end", "b train_end",
        ];
        Assert.Equal(expected, events);
    }

    /// <summary>Checks, at each hook, what the model has seen: validation runs between the last batch and the epoch end.</summary>
    private sealed class ValidationProbe(LinearModel model, List<string> seen) : Callback
    {
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => seen.Add($"batch {batch}: {model.InferenceIds!.Count} inferences");
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => seen.Add($"end {epoch}: {model.InferenceIds!.Count} inferences");
    }

    [Fact]
    public void Fit_ValidatesAfterTheLastBatch_BeforeTheEpochEnd()
    {
        var model = new LinearModel(2, 1) { InferenceIds = [] };
        var seen = new List<string>();
        Fit(model, n: 10, epochs: 1, batchSize: 4, validationSplit: 0.2, new ValidationProbe(model, seen));
        Assert.Equal(["batch 0: 0 inferences", "batch 1: 0 inferences", "end 0: 2 inferences"], seen);
    }

    /// <summary>Keeps copies of the logs it is given.</summary>
    private sealed class LogsProbe : Callback
    {
        public List<Dictionary<string, float>> Batches { get; } = [];
        public List<Dictionary<string, float>> Epochs { get; } = [];
        public List<float> RatesAtBatchBegin { get; } = [];

        public override void OnTrainBatchBegin(int batch) => RatesAtBatchBegin.Add(Context.LearningRate);
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => Batches.Add(logs.ToDictionary());
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => Epochs.Add(logs.ToDictionary());
    }

    [Fact]
    public void Fit_EpochLogsAreWhatHistoryRecords_AndBatchLogsAreTheRunningFigures()
    {
        var probe = new LogsProbe();
        var model = new LinearModel(2, 1, new Sgd(0.05f));
        var history = Fit(model, n: 10, epochs: 3, batchSize: 3, validationSplit: 0.2, probe);

        Assert.Equal(3, probe.Epochs.Count);
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(history.Keys, probe.Epochs[e].Keys);
            foreach (var key in history.Keys) Assert.Equal(history[key][e], probe.Epochs[e][key]);
            // The last batch's running loss and metric are the epoch's.
            var last = probe.Batches[3 * e + 2];
            Assert.Equal(history["loss"][e], last["loss"]);
            Assert.Equal(history["mae"][e], last["mae"]);
        }
        Assert.Equal([0.05f, 0.05f, 0.05f], history["learning_rate"]);
        // The first batch's running loss is that batch's loss: different from the epoch mean.
        Assert.NotEqual(probe.Batches[0]["loss"], history["loss"][0]);
    }

    /// <summary>Asks to stop at a given batch of a given epoch.</summary>
    private static Recorder StopAt(List<string> events, int epoch, int batch)
        => new("r", events) { AtBatchEnd = (context, e, b) => context.StopTraining |= e == epoch && b == batch };

    [Fact]
    public void Fit_StopTrainingInABatch_EndsThatEpochWithValidationThenTraining()
    {
        var events = new List<string>();
        var model = new LinearModel(2, 1) { BatchSizes = [] };
        var history = Fit(model, n: 10, epochs: 5, batchSize: 2, validationSplit: 0.2, StopAt(events, epoch: 1, batch: 1));

        Assert.Equal(2, history.Epochs);
        // Epoch 0: 4 batches and validation (2 samples in one batch); epoch 1: 2 batches, then validation.
        Assert.Equal([2, 2, 2, 2, 2, 2, 2, 2], model.BatchSizes);
        Assert.Equal(["r batch_end 1 loss,mae", "r epoch_end 1 loss,mae,val_loss,val_mae,learning_rate", "r train_end"], events[^3..]);
        Assert.DoesNotContain("r epoch_begin 2", events);
    }

    [Fact]
    public void Fit_StopTrainingAtTrainBegin_StillRunsOneBatch_AsKeras()
    {
        var model = new LinearModel(2, 1) { BatchSizes = [] };
        var history = Fit(model, n: 10, epochs: 5, batchSize: 2, validationSplit: 0, new StopInTrainBegin());
        Assert.Equal(1, history.Epochs);
        Assert.Equal([2], model.BatchSizes);
    }

    private sealed class StopInTrainBegin : Callback
    {
        public override void OnTrainBegin(TrainingContext context) => context.StopTraining = true;
    }

    [Fact]
    public void Fit_ResetsStopTraining_ForEachRun()
    {
        var events = new List<string>();
        var model = new LinearModel(2, 1);
        var stop = StopAt(events, epoch: 0, batch: 0);
        Assert.Equal(1, Fit(model, n: 4, epochs: 3, batchSize: 2, validationSplit: 0, stop).Epochs);
        Assert.Equal(3, Fit(model, n: 4, epochs: 3, batchSize: 2, validationSplit: 0).Epochs);
    }

    [Fact]
    public void Fit_NullCallback_Throws()
    {
        var (x, y) = Samples(4);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(new LinearModel(2, 1), x, y, verbose: 0, callbacks: [new TerminateOnNaN(), null!]));
        Assert.Equal("callbacks", e.ParamName);
        Assert.Contains("callbacks[1] is null", e.Message);
    }

    [Fact]
    public void Callback_UsedOutsideARun_SaysSo()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new TerminateOnNaN().OnTrainBatchEnd(0, new Dictionary<string, float> { ["loss"] = float.NaN }));
        Assert.Contains("not attached", e.Message);
    }

    [Fact]
    public void Fit_WithCallbacks_PerStepWorkAllocatesNothing_AfterTheFirstStep()
    {
        // As TrainerTests' allocation test, with the callbacks that act on batches or read the batch logs.
        const int n = 50, batch = 4, epochs = 3, steps = (n + batch - 1) / batch;
        var (x, y) = Samples(n);
        var model = new LinearModel(2, 1, new Adam(1e-3f)) { AllocationTrace = new long[steps * epochs] };
        var display = new ProgressDisplay(1, TextWriter.Null, interactive: true, new ManualTime { Step = TimeSpan.TicksPerSecond });
        Callback[] callbacks = [new TerminateOnNaN(), new EarlyStopping(patience: 10, restoreBestWeights: true), new ReduceLROnPlateau(),
            new LearningRateScheduler((e, lr) => lr), new ModelCheckpoint(Path.Combine(_directory, "m.safetensors"))];
        Trainer.Fit(model, x, y, epochs, batch, 0.2, null, shuffle: true, seed: 1, sampleWeight: null, display, callbacks);

        int trainSteps = (40 + batch - 1) / batch;
        Assert.Equal(trainSteps * epochs, model.AllocationTraceCount);
        var trace = model.AllocationTrace!;
        for (int k = 1; k + 1 < model.AllocationTraceCount; k++)
        {
            if ((k + 1) % trainSteps == 0) continue; // k + 1 starts a new epoch
            Assert.True(trace[k + 1] == trace[k], $"{trace[k + 1] - trace[k]} bytes allocated between steps {k + 1} and {k + 2}");
        }
    }

    // ---- TerminateOnNaN ----

    [Fact]
    public void TerminateOnNaN_StopsOnANaNOrInfiniteLoss()
    {
        foreach (float loss in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var run = new Harness(new TerminateOnNaN());
            run.Callback.OnTrainBatchEnd(3, new Dictionary<string, float> { ["loss"] = loss });
            Assert.True(run.Context.StopTraining);
            Assert.Equal("Batch 3: Invalid loss, terminating training", run.Messages.ToString().TrimEnd());
        }
        var fine = new Harness(new TerminateOnNaN());
        fine.Callback.OnTrainBatchEnd(0, new Dictionary<string, float> { ["loss"] = 1e30f });
        Assert.False(fine.Context.StopTraining);
    }

    [Fact]
    public void TerminateOnNaN_InFit_StopsAtTheBatchWithTheNaNLoss()
    {
        // Sample 5 (in batch 2 of size 2, unshuffled) has a NaN loss.
        var x = new float[10, 1];
        var y = new float[10];
        y[5] = PoisonedLoss.Poison;
        var model = new LinearModel(1, 1, loss: new PoisonedLoss()) { BatchSizes = [] };
        var messages = new StringWriter();
        var history = Trainer.Fit(model, x, y, epochs: 3, batchSize: 2, shuffle: false, verbose: 0,
            callbacks: [new Capture(messages, new StringWriter()), new TerminateOnNaN()]);

        Assert.Equal(1, history.Epochs);
        Assert.Equal(3, model.BatchSizes!.Count); // batches 0, 1, 2; not 3 and 4
        Assert.True(float.IsNaN(history["loss"][0]));
        Assert.Equal("Batch 2: Invalid loss, terminating training", messages.ToString().TrimEnd());
    }

    // ---- LearningRateScheduler ----

    [Fact]
    public void LearningRateScheduler_SetsTheRateAtEachEpochBegin()
    {
        var probe = new LogsProbe();
        var calls = new List<(int, float)>();
        var scheduler = new LearningRateScheduler((epoch, lr) =>
        {
            calls.Add((epoch, lr));
            return epoch < 2 ? lr : lr * 0.5f;
        });
        var model = new LinearModel(2, 1, new Sgd(0.1f));
        var history = Fit(model, n: 6, epochs: 4, batchSize: 3, validationSplit: 0, scheduler, probe);

        Assert.Equal([(0, 0.1f), (1, 0.1f), (2, 0.1f), (3, 0.05f)], calls);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.025f], history["learning_rate"]);
        // The rate is in force from the epoch's first batch.
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f], probe.RatesAtBatchBegin);
        Assert.Equal(0.025f, model.Optimizer.LearningRate);
    }

    [Fact]
    public void LearningRateScheduler_RejectsABadRate()
    {
        var run = new Harness(new LearningRateScheduler((epoch, lr) => -lr));
        var e = Assert.Throws<InvalidOperationException>(() => run.Callback.OnEpochBegin(4));
        Assert.Contains("returned -1 for epoch 4", e.Message);
        Assert.Equal(1f, run.LearningRate);
    }

    // ---- CsvLogger ----

    [Fact]
    public void CsvLogger_WritesEpochThenSortedKeys_WithPythonFloats()
    {
        string path = Path.Combine(_directory, "log.csv");
        var history = Fit(new LinearModel(2, 1, new Sgd(0.1f)), n: 10, epochs: 2, batchSize: 4, validationSplit: 0.2, new CsvLogger(path));

        string Row(int e) => $"{e},{CsvLogger.FormatPython(history["learning_rate"][e])},{CsvLogger.FormatPython(history["loss"][e])}," +
            $"{CsvLogger.FormatPython(history["mae"][e])},{CsvLogger.FormatPython(history["val_loss"][e])},{CsvLogger.FormatPython(history["val_mae"][e])}";
        Assert.Equal($"epoch,learning_rate,loss,mae,val_loss,val_mae\r\n{Row(0)}\r\n{Row(1)}\r\n", File.ReadAllText(path));
        Assert.StartsWith("0,0.10000000149011612,", File.ReadAllLines(path)[1]);
    }

    [Fact]
    public void CsvLogger_Append_AddsRowsWithoutASecondHeader_AndOverwriteStartsAgain()
    {
        string path = Path.Combine(_directory, "log.csv");
        Fit(new LinearModel(2, 1), n: 6, epochs: 2, batchSize: 3, validationSplit: 0, new CsvLogger(path, separator: ';'));
        Fit(new LinearModel(2, 1), n: 6, epochs: 1, batchSize: 3, validationSplit: 0, new CsvLogger(path, separator: ';', append: true));
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(4, lines.Length);
        Assert.Equal("epoch;learning_rate;loss;mae", lines[0]);
        Assert.Equal(["0", "1", "0"], lines[1..].Select(l => l.Split(';')[0]));

        Fit(new LinearModel(2, 1), n: 6, epochs: 1, batchSize: 3, validationSplit: 0, new CsvLogger(path, separator: ';'));
        Assert.Equal(2, File.ReadAllLines(path).Length);

        string fresh = Path.Combine(_directory, "fresh.csv");
        Fit(new LinearModel(2, 1), n: 6, epochs: 1, batchSize: 3, validationSplit: 0, new CsvLogger(fresh, append: true));
        Assert.StartsWith("epoch,learning_rate,loss,mae\r\n0,", File.ReadAllText(fresh));
    }

    [Fact]
    public void CsvLogger_WritesNAForAMissingKey_AndQuotesFieldsWithTheSeparator()
    {
        string path = Path.Combine(_directory, "log.csv");
        var run = new Harness(new CsvLogger(path));
        run.EndEpoch(("b", 1f), ("a,x", 2f));
        run.EndEpoch(("b", 3f));
        Assert.Equal("epoch,\"a,x\",b\r\n0,2.0,1.0\r\n1,NA,3.0\r\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(0.1234f, "0.1234000027179718")]
    [InlineData(1e-5f, "9.999999747378752e-06")]
    [InlineData(1e-4f, "9.999999747378752e-05")]
    [InlineData(0.1f, "0.10000000149011612")]
    [InlineData(123456.78f, "123456.78125")]
    [InlineData(0.5f, "0.5")]
    [InlineData(3f, "3.0")]
    [InlineData(-2.5f, "-2.5")]
    [InlineData(100f, "100.0")]
    [InlineData(0f, "0.0")]
    [InlineData(float.NaN, "nan")]
    [InlineData(float.PositiveInfinity, "inf")]
    [InlineData(float.NegativeInfinity, "-inf")]
    public void FormatPython_MatchesPythonsRepr(float value, string expected)
    {
        Assert.Equal(expected, CsvLogger.FormatPython(value));
    }

    [Theory]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345680.0, "1.2345678901234568e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(-1.5e300, "-1.5e+300")]
    public void FormatPython_UsesScientificNotationOutsideMinus4To16(double value, string expected)
    {
        Assert.Equal(expected, CsvLogger.FormatPython(value));
    }

    // ---- ModelCheckpoint ----

    [Fact]
    public void ModelCheckpoint_SaveBestOnly_WritesOnlyOnImprovement()
    {
        string path = Path.Combine(_directory, "ckpt", "best.safetensors");
        var run = new Harness(new ModelCheckpoint(path, saveBestOnly: true));
        float[] valLosses = [3f, 2f, 2.5f, 2f, 1f];
        int[] savedEpoch = new int[valLosses.Length];
        for (int e = 0; e < valLosses.Length; e++)
        {
            run.Model.Parameters.Fill(e + 1);
            run.EndEpoch(valLosses[e]);
            var tensors = SafeTensors.Load(path, out var metadata);
            savedEpoch[e] = (int)tensors[0].Data[0] - 1;
            Assert.Equal((savedEpoch[e] + 1).ToString(), metadata["epoch"]);
        }
        // Epochs 0, 1 and 4 improve; 2 is worse and 3 only ties.
        Assert.Equal([0, 1, 1, 1, 4], savedEpoch);
    }

    [Fact]
    public void ModelCheckpoint_WithoutSaveBestOnly_WritesEveryEpoch()
    {
        string path = Path.Combine(_directory, "every.safetensors");
        var run = new Harness(new ModelCheckpoint(path));
        for (int e = 0; e < 3; e++)
        {
            run.Model.Parameters.Fill(e + 1);
            run.EndEpoch(5f); // not improving
            Assert.Equal(e + 1f, SafeTensors.Load(path)[0].Data[0]);
        }
    }

    [Fact]
    public void ModelCheckpoint_MaxMode_AndMissingMonitor()
    {
        string path = Path.Combine(_directory, "acc.safetensors");
        var run = new Harness(new ModelCheckpoint(path, monitor: "val_accuracy", saveBestOnly: true));
        run.EndEpoch(("val_loss", 1f));
        Assert.False(File.Exists(path));
        Assert.Contains("`val_accuracy` which is not available", run.Warnings.ToString());
        run.Model.Parameters.Fill(1);
        run.EndEpoch(("val_accuracy", 0.5f));
        run.Model.Parameters.Fill(2);
        run.EndEpoch(("val_accuracy", 0.4f));
        Assert.Equal(1f, SafeTensors.Load(path)[0].Data[0]);
        run.Model.Parameters.Fill(3);
        run.EndEpoch(("val_accuracy", 0.6f));
        Assert.Equal(3f, SafeTensors.Load(path)[0].Data[0]);
    }

    [Fact]
    public void ModelCheckpoint_InFit_TheFileRoundTripsTheParameters()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        var model = new LinearModel(2, 3, new Sgd(0.1f));
        var x = new float[12, 2];
        var y = new float[12, 3];
        for (int i = 0; i < 12; i++) { x[i, 0] = i; x[i, 1] = 1; y[i, i % 3] = 1; }
        Trainer.Fit(model, x, y, epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0, callbacks: [new ModelCheckpoint(path)]);

        var tensors = SafeTensors.Load(path, out var metadata);
        var single = Assert.Single(tensors);
        Assert.Equal("parameters", single.Name);
        Assert.Equal([9], single.Shape);
        Assert.Equal(model.Parameters.ToArray(), single.Data);
        Assert.Equal("2", metadata["epoch"]);
    }

    [Fact]
    public void ModelCheckpoint_SavesTheNonTrainableStateBesideTheParameters()
    {
        string path = Path.Combine(Path.GetTempPath(), "gen-checkpoint-state-" + Guid.NewGuid().ToString("N"), "model.safetensors");
        try
        {
            var run = new Harness(new ModelCheckpoint(path));
            run.Model.Parameters.Fill(2);
            run.Model.StateValues = [7f, 8f, 9f];
            run.EndEpoch(1f);
            var tensors = SafeTensors.Load(path);
            Assert.Equal(["parameters", "state"], tensors.Select(t => t.Name).ToArray());
            Assert.Equal([2f, 2f], tensors[0].Data);
            Assert.Equal([7f, 8f, 9f], tensors[1].Data);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
