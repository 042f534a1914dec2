using Gen.Runtime.Tests.Training;

namespace Gen.Runtime.Tests.Callbacks;

/// <summary>EarlyStopping's decisions over scripted monitored values (docs/keras-semantics.md §10).</summary>
public sealed class EarlyStoppingTests
{
    [Fact]
    public void StopsOnThePatienceThBadEpoch()
    {
        // 1.0 and 0.9 improve; 0.95 is bad epoch 1, 0.96 bad epoch 2 = patience.
        var run = new Harness(new EarlyStopping(patience: 2));
        Assert.Equal(3, run.StopEpoch(1.0f, 0.9f, 0.95f, 0.96f, 0.5f));
        Assert.Equal(3, ((EarlyStopping)run.Callback).StoppedEpoch);
        Assert.Equal(0.9f, (float)((EarlyStopping)run.Callback).Best!.Value);
    }

    [Fact]
    public void AnImprovementRestartsTheWait()
    {
        Assert.Equal(2, new Harness(new EarlyStopping(patience: 2)).StopEpoch(1.0f, 1.1f, 1.2f));
        Assert.Equal(4, new Harness(new EarlyStopping(patience: 2)).StopEpoch(1.0f, 1.1f, 0.9f, 1.0f, 1.0f, 1.0f));
    }

    [Fact]
    public void PatienceZero_StopsOnTheFirstBadEpoch_ButNeverAtEpochZero()
    {
        Assert.Equal(1, new Harness(new EarlyStopping(patience: 0)).StopEpoch(1.0f, 2.0f));
        // The first value always improves on "no best yet", so epoch 0 cannot stop even with patience 0.
        Assert.Equal(-1, new Harness(new EarlyStopping(patience: 0)).StopEpoch(5.0f));
    }

    [Fact]
    public void EqualValue_IsNotAnImprovement()
    {
        Assert.Equal(1, new Harness(new EarlyStopping(patience: 0)).StopEpoch(1.0f, 1.0f));
    }

    [Fact]
    public void MinDelta_IsAbsolute_AndItsSignIsIgnored()
    {
        // 0.95 + 0.1 is not below 1.0: a bad epoch. 0.85 + 0.1 is.
        Assert.Equal(1, new Harness(new EarlyStopping(minDelta: 0.1, patience: 1)).StopEpoch(1.0f, 0.95f));
        Assert.Equal(1, new Harness(new EarlyStopping(minDelta: -0.1, patience: 1)).StopEpoch(1.0f, 0.95f));
        Assert.Equal(-1, new Harness(new EarlyStopping(minDelta: 0.1, patience: 1)).StopEpoch(1.0f, 0.85f));
        // On a large scale the same absolute delta is a small relative change.
        Assert.Equal(-1, new Harness(new EarlyStopping(minDelta: 0.1, patience: 1)).StopEpoch(1000f, 999.5f, 999f));
    }

    [Fact]
    public void MaxMode_ForAccuracy_InAutoMode()
    {
        var run = new Harness(new EarlyStopping("val_accuracy", minDelta: 0.1, patience: 2));
        Assert.False(run.EndEpoch(("val_accuracy", 0.5f)));
        Assert.False(run.EndEpoch(("val_accuracy", 0.55f))); // bad: 0.55 − 0.1 is not above 0.5
        Assert.False(run.EndEpoch(("val_accuracy", 0.65f))); // improves: 0.65 − 0.1 > 0.5
        Assert.False(run.EndEpoch(("val_accuracy", 0.6f)));
        Assert.True(run.EndEpoch(("val_accuracy", 0.7f))); // 0.7 − 0.1 is not above 0.65: bad epoch 2
    }

    [Fact]
    public void Baseline_ImprovementsThatMissItDoNotRestartTheWait()
    {
        // Without a baseline the decreasing values keep restarting the wait.
        Assert.Equal(-1, new Harness(new EarlyStopping(patience: 2)).StopEpoch(1.0f, 0.9f, 0.95f));
        // With baseline 0.5, 1.0 and 0.9 improve on the best but not the baseline: wait 1, 2, then 0.95 makes 3 ≥ 2.
        var run = new Harness(new EarlyStopping(patience: 2, baseline: 0.5));
        Assert.Equal(2, run.StopEpoch(1.0f, 0.9f, 0.95f));
        Assert.Equal(0.9, ((EarlyStopping)run.Callback).Best!.Value, 6);
        // Beating the baseline restarts the wait.
        Assert.Equal(2, new Harness(new EarlyStopping(patience: 2, baseline: 0.5)).StopEpoch(0.4f, 0.45f, 0.46f));
        Assert.Equal(-1, new Harness(new EarlyStopping(patience: 3, baseline: 0.5)).StopEpoch(0.4f, 0.45f, 0.46f));
    }

    [Fact]
    public void StartFromEpoch_IgnoresTheFirstEpochs()
    {
        Assert.Equal(1, new Harness(new EarlyStopping(patience: 0)).StopEpoch(1f, 2f, 3f, 4f));
        var run = new Harness(new EarlyStopping(patience: 0, startFromEpoch: 2));
        Assert.Equal(3, run.StopEpoch(1f, 2f, 3f, 4f));
        Assert.Equal(3f, (float)((EarlyStopping)run.Callback).Best!.Value); // epoch 2's value is the first watched
    }

    [Fact]
    public void RestoreBestWeights_PutsBackTheBestEpochsParameters()
    {
        var run = new Harness(new EarlyStopping(patience: 2, restoreBestWeights: true));
        float[] valLosses = [3f, 1f, 2f, 4f];
        int stopped = -1;
        for (int e = 0; e < valLosses.Length && stopped < 0; e++)
        {
            run.Model.Parameters.Fill(10 * e + 1); // the weights "after" epoch e
            if (run.EndEpoch(valLosses[e])) stopped = e;
        }
        Assert.Equal(3, stopped);
        Assert.Equal(31f, run.Model.Parameters[0]);
        run.EndTraining();
        Assert.Equal([11f, 11f], run.Model.Parameters.ToArray()); // epoch 1 had the best val_loss
        Assert.Equal(1, ((EarlyStopping)run.Callback).BestEpoch);
    }

    [Fact]
    public void WithoutRestoreBestWeights_TrainEndLeavesTheWeights()
    {
        var run = new Harness(new EarlyStopping(patience: 1));
        run.Model.Parameters.Fill(1);
        run.EndEpoch(1f);
        run.Model.Parameters.Fill(2);
        run.EndEpoch(2f);
        run.EndTraining();
        Assert.Equal(2f, run.Model.Parameters[0]);
    }

    [Fact]
    public void MissingMonitor_IsSkippedWithOneWarning()
    {
        var run = new Harness(new EarlyStopping(patience: 0));
        for (int e = 0; e < 3; e++) Assert.False(run.EndEpoch(("loss", e)));
        string warnings = run.Warnings.ToString();
        Assert.Single(warnings.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("`val_loss` which is not available", warnings);
        Assert.Contains("Available metrics are: loss", warnings);
        Assert.Null(((EarlyStopping)run.Callback).Best);
    }

    [Fact]
    public void UnknownMonitorInAutoMode_ThrowsAtTrainBegin_NamingTheMonitorAndKeys()
    {
        var e = Assert.Throws<ArgumentException>(() => new Harness(new EarlyStopping("val_widgets")));
        Assert.Equal("monitor", e.ParamName);
        Assert.Contains("'val_widgets'", e.Message);
        Assert.Contains("loss, mae, val_loss, val_mae, learning_rate", e.Message);
        // An explicit mode needs no inference.
        var run = new Harness(new EarlyStopping("val_widgets", mode: MonitorMode.Max));
        Assert.False(run.EndEpoch(("val_widgets", 2f)));
        Assert.True(run.EndEpoch(("val_widgets", 1f)));
    }

    [Fact]
    public void TrainBegin_ResetsTheState()
    {
        var stopping = new EarlyStopping(patience: 0);
        var run = new Harness(stopping);
        Assert.Equal(1, run.StopEpoch(1f, 2f));
        var again = new Harness(stopping);
        Assert.Equal(0, stopping.Wait);
        Assert.Null(stopping.Best);
        Assert.Equal(0, stopping.StoppedEpoch);
        Assert.Equal(1, again.StopEpoch(5f, 6f)); // 5 is not compared with the old best of 1
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: -1)).ParamName);
        Assert.Equal("startFromEpoch", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(startFromEpoch: -1)).ParamName);
        Assert.Equal("baseline", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(baseline: double.NaN)).ParamName);
        Assert.Equal("minDelta", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(minDelta: double.NaN)).ParamName);
    }

    // ---- In a real Fit ----

    private static (float[,] X, float[] Y) Line(int n)
    {
        var x = new float[n, 1];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = i / (float)n;
            y[i] = 3 * x[i, 0] + 1;
        }
        return (x, y);
    }

    [Fact]
    public void Fit_StopsAfterTheEpochEarlyStoppingFlags()
    {
        // A constant "val_const" metric: epoch 0 sets the best, epochs 1 and 2 are bad, patience 2 stops at epoch 2.
        var model = new LinearModel(1, 1, new Sgd(0.1f), metrics: () => [new ConstantMetric("const", 1f)]);
        var (x, y) = Line(20);
        var stopping = new EarlyStopping("val_const", patience: 2, mode: MonitorMode.Min);
        var history = Trainer.Fit(model, x, y, epochs: 10, batchSize: 4, validationSplit: 0.25, verbose: 0, callbacks: [stopping]);
        Assert.Equal(3, history.Epochs);
        Assert.Equal(2, stopping.StoppedEpoch);
    }

    /// <summary>Asks to stop at the end of a given epoch, and keeps a copy of the weights at each epoch end.</summary>
    private sealed class StopAt(int epoch, List<float[]> weights) : Callback
    {
        public override void OnEpochEnd(int e, IReadOnlyDictionary<string, float> logs)
        {
            weights.Add(Context.CopyParameters());
            if (e == epoch) Context.StopTraining = true;
        }
    }

    [Fact]
    public void Fit_RestoresTheBestWeights_EvenWhenAnotherCallbackStoppedTraining()
    {
        // SGD with too large a rate diverges, so the validation loss is lowest early and the last weights are not the best.
        var model = new LinearModel(1, 1, new Sgd(3f));
        var (x, y) = Line(20);
        var weights = new List<float[]>();
        var stopping = new EarlyStopping(patience: 100, restoreBestWeights: true);
        var history = Trainer.Fit(model, x, y, epochs: 20, batchSize: 4, validationSplit: 0.25, shuffle: false, verbose: 0,
            callbacks: [new StopAt(4, weights), stopping]);

        Assert.Equal(5, history.Epochs);
        Assert.Equal(0, stopping.StoppedEpoch); // EarlyStopping itself did not stop
        var valLoss = history["val_loss"];
        int best = Enumerable.Range(0, valLoss.Count).MinBy(e => valLoss[e]);
        Assert.NotEqual(valLoss.Count - 1, best);
        Assert.NotEqual(weights[^1], weights[best]);
        Assert.Equal(weights[best], model.Parameters.ToArray());
    }

    [Fact]
    public void RestoreBestWeights_AlsoRestoresTheNonTrainableState()
    {
        // Keras's get_weights/set_weights include BatchNormalization's moving statistics.
        var run = new Harness(new EarlyStopping(patience: 1, restoreBestWeights: true));
        run.Model.StateValues = new float[3];
        float[] valLosses = [2f, 1f, 3f, 4f];
        for (int e = 0; e < valLosses.Length; e++)
        {
            run.Model.Parameters.Fill(e);
            run.Model.StateValues.AsSpan().Fill(100 + e);
            if (run.EndEpoch(valLosses[e])) break;
        }
        run.EndTraining();
        Assert.Equal([1f, 1f], run.Model.Parameters.ToArray());
        Assert.Equal([101f, 101f, 101f], run.Model.StateValues);
    }
}
