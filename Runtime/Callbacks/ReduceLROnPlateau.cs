using System.Globalization;

namespace Gen;

/// <summary>
/// Lowers the learning rate when a monitored quantity has stopped improving (Keras's <c>ReduceLROnPlateau</c>).
/// At each epoch end whose logs hold the monitor, in Keras's order:
/// <list type="number">
/// <item>when cooling down: the cooldown counter drops by one and <see cref="Wait"/> goes back to 0;</item>
/// <item>when the value improves on <see cref="Best"/> (<c>current &lt; best − minDelta</c> falling,
/// <c>current &gt; best + minDelta</c> rising; the best starts at ±∞): it becomes the best and the wait restarts;</item>
/// <item>otherwise, when not cooling down: <see cref="Wait"/> grows by one, and once it reaches
/// <see cref="Patience"/>, if the rate is above float32(<see cref="MinLearningRate"/>), the rate becomes
/// <c>max(lr · factor, minLr)</c> (computed in float64, stored as float32), the cooldown starts and the wait restarts.</item>
/// </list>
/// So the reduction happens on the <see cref="Patience"/>-th epoch without improvement (PyTorch's scheduler waits
/// one epoch more). <see cref="OnTrainBegin"/> resets the best, the wait and the cooldown.
/// </summary>
/// <remarks>
/// The direction in <see cref="MonitorMode.Auto"/> follows <see cref="MonitorCallback"/> (Keras's own
/// <c>ReduceLROnPlateau</c> only checks whether the name contains "acc"; the two agree on losses, accuracies and
/// errors). A learning rate that cannot be assigned (an optimizer driven by a schedule) throws from the
/// optimizer, as Keras raises a <c>TypeError</c>.
/// </remarks>
public sealed class ReduceLROnPlateau : MonitorCallback
{
    private int _cooldownCounter;

    /// <param name="monitor">The key of the epoch logs to watch.</param>
    /// <param name="factor">The factor on the rate at each reduction, in [0, 1).</param>
    /// <param name="patience">The number of epochs without improvement before a reduction (≥ 0).</param>
    /// <param name="mode">Whether the quantity should fall or rise, or inferred from its name.</param>
    /// <param name="minDelta">The smallest absolute change that counts as an improvement.</param>
    /// <param name="cooldown">The number of epochs after a reduction during which bad epochs are not counted (≥ 0).</param>
    /// <param name="minLr">The lowest rate a reduction goes to (finite, ≥ 0).</param>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, MonitorMode mode = MonitorMode.Auto,
        double minDelta = 1e-4, int cooldown = 0, double minLr = 0)
        : base(monitor, mode, minDelta)
    {
        if (!(factor >= 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, string.Create(CultureInfo.InvariantCulture,
                $"ReduceLROnPlateau does not support a factor >= 1; expected a factor in [0, 1), got {factor}."));
        if (patience < 0)
            throw new ArgumentOutOfRangeException(nameof(patience), patience, $"Expected patience >= 0 epochs; got {patience}.");
        if (cooldown < 0)
            throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, $"Expected cooldown >= 0 epochs; got {cooldown}.");
        if (!(minLr >= 0 && double.IsFinite(minLr)))
            throw new ArgumentOutOfRangeException(nameof(minLr), minLr, string.Create(CultureInfo.InvariantCulture,
                $"Expected a finite minLr >= 0; got {minLr}."));
        Factor = factor;
        Patience = patience;
        Cooldown = cooldown;
        MinLearningRate = minLr;
    }

    public double Factor { get; }
    public int Patience { get; }
    public int Cooldown { get; }
    public double MinLearningRate { get; }

    /// <summary>Epochs without improvement counted since the last improvement, reduction or cooldown epoch.</summary>
    public int Wait { get; private set; }

    /// <summary>The best monitored value so far (±∞ before the first).</summary>
    public double Best { get; private set; }

    /// <summary>Whether the epochs right after a reduction are being skipped.</summary>
    public bool InCooldown => _cooldownCounter > 0;

    public override void OnTrainBegin(TrainingContext context)
    {
        base.OnTrainBegin(context);
        Best = Maximize ? double.NegativeInfinity : double.PositiveInfinity;
        Wait = 0;
        _cooldownCounter = 0;
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (!TryGetMonitorValue(logs, out float value)) return;
        double current = value;
        if (InCooldown)
        {
            _cooldownCounter--;
            Wait = 0;
        }

        if (Maximize ? current > Best + MinDelta : current < Best - MinDelta)
        {
            Best = current;
            Wait = 0;
        }
        else if (!InCooldown)
        {
            Wait++;
            if (Wait >= Patience)
            {
                double old = Context.LearningRate;
                if (old > (float)MinLearningRate)
                {
                    Context.LearningRate = (float)Math.Max(old * Factor, MinLearningRate);
                    _cooldownCounter = Cooldown;
                    Wait = 0;
                }
            }
        }
    }
}
