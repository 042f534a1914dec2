namespace Gen;

/// <summary>
/// Stops training when a monitored quantity has stopped improving (Keras's <c>EarlyStopping</c>). At each
/// epoch end, in Keras's order:
/// <list type="number">
/// <item>epochs before <see cref="StartFromEpoch"/>, and epochs whose logs lack the monitor, are ignored;</item>
/// <item>with <see cref="RestoreBestWeights"/>, when no weights are stored yet, the current ones are;</item>
/// <item><see cref="Wait"/> grows by one (before the comparison);</item>
/// <item>on an improvement over <see cref="Best"/> (the first value always is one): the value becomes the best, the
/// weights are stored, and <see cref="Wait"/> goes back to 0 only if the value also beats <see cref="Baseline"/>
/// (when one is set);</item>
/// <item>otherwise, once <c>Wait ≥ patience</c> and the epoch is not the first, training stops.</item>
/// </list>
/// <see cref="OnTrainEnd"/> restores the best weights whenever some were stored, even when something else stopped
/// training or all epochs ran. <see cref="OnTrainBegin"/> resets the state, so an instance can be reused.
/// </summary>
public sealed class EarlyStopping : MonitorCallback
{
    private float[]? _bestWeights;

    /// <param name="monitor">The key of the epoch logs to watch.</param>
    /// <param name="minDelta">The smallest absolute change that counts as an improvement.</param>
    /// <param name="patience">The number of epochs without improvement after which training stops (≥ 0).</param>
    /// <param name="mode">Whether the quantity should fall or rise, or inferred from its name.</param>
    /// <param name="baseline">A value the monitor must beat for the wait to restart, or null.</param>
    /// <param name="restoreBestWeights">Whether to put back the weights of the best epoch when training ends.</param>
    /// <param name="startFromEpoch">The number of epochs (from 0) to ignore before watching (≥ 0).</param>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, MonitorMode mode = MonitorMode.Auto,
        double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0)
        : base(monitor, mode, minDelta)
    {
        if (patience < 0)
            throw new ArgumentOutOfRangeException(nameof(patience), patience, $"Expected patience >= 0 epochs; got {patience}.");
        if (baseline is { } b && !double.IsFinite(b))
            throw new ArgumentOutOfRangeException(nameof(baseline), b, $"Expected a finite baseline or null; got {b}.");
        if (startFromEpoch < 0)
            throw new ArgumentOutOfRangeException(nameof(startFromEpoch), startFromEpoch, $"Expected startFromEpoch >= 0; got {startFromEpoch}.");
        Patience = patience;
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
        StartFromEpoch = startFromEpoch;
    }

    public int Patience { get; }
    public double? Baseline { get; }
    public bool RestoreBestWeights { get; }
    public int StartFromEpoch { get; }

    /// <summary>Epochs counted since the last improvement that also beat the baseline.</summary>
    public int Wait { get; private set; }

    /// <summary>The best monitored value so far, or null before the first watched epoch.</summary>
    public double? Best { get; private set; }

    /// <summary>The epoch (0-based) of <see cref="Best"/>, or of the first stored weights.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The epoch (0-based) at which this callback stopped training, or 0 when it did not.</summary>
    public int StoppedEpoch { get; private set; }

    public override void OnTrainBegin(TrainingContext context)
    {
        base.OnTrainBegin(context);
        Wait = 0;
        StoppedEpoch = 0;
        Best = null;
        BestEpoch = 0;
        _bestWeights = null;
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (!TryGetMonitorValue(logs, out float value) || epoch < StartFromEpoch) return;
        double current = value;
        if (RestoreBestWeights && _bestWeights is null)
        {
            StoreWeights();
            BestEpoch = epoch;
        }

        Wait++;
        if (IsImprovement(current, Best))
        {
            Best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) StoreWeights();
            // The wait restarts only when the value beats both the previous best and the baseline.
            if (Baseline is null || IsImprovement(current, Baseline)) Wait = 0;
            return;
        }

        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            Context.StopTraining = true;
        }
    }

    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs)
    {
        if (RestoreBestWeights && _bestWeights is not null)
        {
            // Keras's get_weights/set_weights: the trainable weights and the non-trainable state (moving statistics).
            int count = Context.Model.ParameterCount;
            Context.Model.SetParameters(_bestWeights.AsSpan(0, count));
            Context.Model.SetState(_bestWeights.AsSpan(count));
        }
    }

    private void StoreWeights()
    {
        int parameters = Context.Model.ParameterCount, state = Context.Model.StateCount;
        if (_bestWeights?.Length != parameters + state) _bestWeights = new float[parameters + state];
        Context.Model.CopyParametersTo(_bestWeights.AsSpan(0, parameters));
        Context.Model.CopyStateTo(_bestWeights.AsSpan(parameters));
    }
}
