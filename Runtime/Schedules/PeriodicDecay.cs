namespace Gen;

/// <summary>
/// What Keras's <c>ExponentialDecay</c> and <c>InverseTimeDecay</c> share: an initial rate, a decay rate applied per
/// <see cref="DecaySteps"/> steps, and the progress <c>step / decaySteps</c>, floored with <see cref="Staircase"/>.
/// Each schedule gives only its formula of the progress.
/// </summary>
public abstract class PeriodicDecay : LearningRateSchedule
{
    private protected PeriodicDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase)
    {
        CheckLearningRate(initialLearningRate, nameof(initialLearningRate));
        CheckSteps(decaySteps, nameof(decaySteps));
        CheckRange(decayRate, 0, double.PositiveInfinity, nameof(decayRate));
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        DecayRate = decayRate;
        Staircase = staircase;
    }

    public double InitialLearningRate { get; }
    public long DecaySteps { get; }
    public double DecayRate { get; }
    public bool Staircase { get; }

    public sealed override float GetLearningRate(long step)
    {
        CheckStep(step);
        double progress = (double)step / DecaySteps;
        if (Staircase) progress = Math.Floor(progress);
        return (float)Decay(progress);
    }

    /// <summary>The rate after <paramref name="progress"/> periods, in float64.</summary>
    private protected abstract double Decay(double progress);
}
