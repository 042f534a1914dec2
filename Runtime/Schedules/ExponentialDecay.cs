namespace Gen;

/// <summary>
/// Keras's <c>ExponentialDecay</c>: <c>lr(step) = initial · rate^(step / decaySteps)</c>, decayed on every step;
/// with <see cref="Staircase"/> the exponent is <c>floor(step / decaySteps)</c>, so the rate drops every
/// <see cref="DecaySteps"/> steps.
/// </summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <param name="initialLearningRate">The rate at step 0 (finite, ≥ 0).</param>
    /// <param name="decaySteps">The steps over which the rate is multiplied by <paramref name="decayRate"/> (≥ 1).</param>
    /// <param name="decayRate">The factor per <paramref name="decaySteps"/> steps (finite, ≥ 0).</param>
    /// <param name="staircase">Whether to decay in whole periods instead of continuously.</param>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
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

    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        double p = (double)step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return (float)(InitialLearningRate * Math.Pow(DecayRate, p));
    }
}
