using System.Globalization;

namespace Gen;

/// <summary>
/// Sets the learning rate at the start of each epoch (Keras's <c>LearningRateScheduler</c>): the rate becomes
/// <c>schedule(epoch, currentRate)</c>, with the epoch counted from 0. The epoch logs' "learning_rate" then shows it.
/// </summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, float, float> _schedule;

    /// <param name="schedule">Maps (0-based epoch, current learning rate) to the epoch's learning rate (finite, ≥ 0).</param>
    public LearningRateScheduler(Func<int, float, float> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
    }

    /// <exception cref="InvalidOperationException">The schedule returned NaN, an infinity or a negative rate.</exception>
    public override void OnEpochBegin(int epoch)
    {
        float rate = _schedule(epoch, Context.LearningRate);
        if (!(rate >= 0 && float.IsFinite(rate)))
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The LearningRateScheduler's schedule returned {rate} for epoch {epoch}; expected a finite learning rate >= 0."));
        Context.LearningRate = rate;
    }
}
