using Gen.Runtime.Tests.Training;

namespace Gen.Runtime.Tests.Callbacks;

/// <summary>ReduceLROnPlateau's decisions over scripted monitored values (docs/keras-semantics.md §10).</summary>
public sealed class ReduceLROnPlateauTests
{
    /// <summary>The learning rate after each epoch's end, for the given val_loss values.</summary>
    private static float[] Rates(ReduceLROnPlateau callback, float initial, params float[] valLosses)
    {
        var run = new Harness(callback, initial);
        var rates = new float[valLosses.Length];
        for (int e = 0; e < valLosses.Length; e++)
        {
            run.EndEpoch(valLosses[e]);
            rates[e] = run.LearningRate;
        }
        return rates;
    }

    [Fact]
    public void ReducesOnThePatienceThBadEpoch()
    {
        // Epoch 0 sets the best; epochs 1 and 2 are bad: with patience 2 the reduction comes at epoch 2
        // (PyTorch's ReduceLROnPlateau would wait for epoch 3). Then two more bad epochs, another reduction.
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.25f], Rates(new ReduceLROnPlateau(factor: 0.5, patience: 2), 1f, 1f, 1f, 1f, 1f, 1f));
    }

    [Fact]
    public void PatienceZero_ReducesOnEveryBadEpoch()
    {
        Assert.Equal([1f, 0.5f, 0.25f], Rates(new ReduceLROnPlateau(factor: 0.5, patience: 0), 1f, 1f, 2f, 2f));
    }

    [Fact]
    public void AnImprovementRestartsTheWait()
    {
        Assert.Equal([1f, 1f, 1f, 1f, 0.5f], Rates(new ReduceLROnPlateau(factor: 0.5, patience: 2), 1f, 1f, 1f, 0.5f, 0.6f, 0.6f));
    }

    [Fact]
    public void Cooldown_SkipsBadEpochsAfterAReduction()
    {
        // patience 1, cooldown 2: reduce at epoch 1; epochs 2 and 3 count the cooldown down (epoch 3 leaves it
        // at 0 and counts as bad), so epoch 3 reduces again, and epoch 5 after it.
        Assert.Equal([1f, 0.5f, 0.5f, 0.25f, 0.25f, 0.125f],
            Rates(new ReduceLROnPlateau(factor: 0.5, patience: 1, cooldown: 2), 1f, 1f, 1f, 1f, 1f, 1f, 1f));
        // Without cooldown: every bad epoch.
        Assert.Equal([1f, 0.5f, 0.25f, 0.125f], Rates(new ReduceLROnPlateau(factor: 0.5, patience: 1), 1f, 1f, 1f, 1f, 1f));
    }

    [Fact]
    public void ImprovementDuringCooldown_StillUpdatesTheBest()
    {
        var callback = new ReduceLROnPlateau(factor: 0.5, patience: 1, cooldown: 3);
        Rates(callback, 1f, 1f, 1f, 0.5f);
        Assert.Equal(0.5, callback.Best);
        Assert.True(callback.InCooldown);
    }

    [Fact]
    public void MinLr_BoundsTheRate_AndStopsFurtherReductions()
    {
        // 1 → 0.1 → max(0.01, 0.05) = 0.05; then lr (0.05f) is not above float32(0.05), so no more.
        Assert.Equal([1f, 0.1f, 0.05f, 0.05f], Rates(new ReduceLROnPlateau(factor: 0.1, patience: 1, minLr: 0.05), 1f, 1f, 1f, 1f, 1f));
    }

    [Fact]
    public void TheRateIsComputedInFloat64AndStoredAsFloat32()
    {
        var rates = Rates(new ReduceLROnPlateau(factor: 0.1, patience: 0), 0.3f, 1f, 2f);
        Assert.Equal((float)((double)0.3f * 0.1), rates[1]);
    }

    [Fact]
    public void MinDelta_DefaultsToOneTenThousandth_Absolute()
    {
        // 0.99995 is not below 1 − 1e-4: bad. 0.9998 is.
        Assert.Equal([1f, 0.1f], Rates(new ReduceLROnPlateau(patience: 1), 1f, 1f, 0.99995f));
        Assert.Equal([1f, 1f], Rates(new ReduceLROnPlateau(patience: 1), 1f, 1f, 0.9998f));
    }

    [Fact]
    public void AccuracyMonitor_IsMaximized()
    {
        var run = new Harness(new ReduceLROnPlateau("val_accuracy", factor: 0.5, patience: 1), 1f);
        run.EndEpoch(("val_accuracy", 0.5f));
        run.EndEpoch(("val_accuracy", 0.6f));
        Assert.Equal(1f, run.LearningRate);
        run.EndEpoch(("val_accuracy", 0.55f));
        Assert.Equal(0.5f, run.LearningRate);
    }

    [Fact]
    public void MissingMonitor_IsSkippedWithOneWarning()
    {
        var run = new Harness(new ReduceLROnPlateau(patience: 0), 1f);
        run.EndEpoch(("loss", 1f));
        run.EndEpoch(("loss", 2f));
        Assert.Equal(1f, run.LearningRate);
        Assert.Single(run.Warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ReduceLROnPlateau is conditioned on metric `val_loss`", run.Warnings.ToString());
    }

    [Fact]
    public void TrainBegin_ResetsBestWaitAndCooldown()
    {
        var callback = new ReduceLROnPlateau(factor: 0.5, patience: 2, cooldown: 5);
        Rates(callback, 1f, 1f, 2f, 2f);
        Assert.True(callback.InCooldown);
        new Harness(callback, 1f);
        Assert.False(callback.InCooldown);
        Assert.Equal(0, callback.Wait);
        Assert.Equal(double.PositiveInfinity, callback.Best);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void FactorOutsideZeroToOne_Throws(double factor)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: factor));
        Assert.Equal("factor", e.ParamName);
        Assert.Contains(factor.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void OtherBadArguments_Throw()
    {
        Assert.Equal("patience", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(patience: -1)).ParamName);
        Assert.Equal("cooldown", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(cooldown: -1)).ParamName);
        Assert.Equal("minLr", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(minLr: -1)).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(mode: (MonitorMode)7)).ParamName);
    }

    [Fact]
    public void Fit_HistoryLogsTheRateEachEpochTrainedWith()
    {
        // A constant validation metric: epoch 0 sets the best, every later epoch is bad and (patience 1) reduces
        // the rate at its end. "learning_rate" is the rate during each epoch, so the reductions show one epoch later.
        var model = new LinearModel(1, 1, new Sgd(0.1f), metrics: () => [new ConstantMetric("const", 1f)]);
        var x = new float[8, 1];
        var y = new float[8];
        var history = Trainer.Fit(model, x, y, epochs: 4, batchSize: 4, validationSplit: 0.25, verbose: 0,
            callbacks: [new ReduceLROnPlateau("val_const", factor: 0.5, patience: 1, mode: MonitorMode.Min)]);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.025f], history["learning_rate"]);
        Assert.Equal(0.0125f, model.Optimizer.LearningRate);
    }
}
