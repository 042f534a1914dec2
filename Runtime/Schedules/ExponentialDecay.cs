namespace Gen;

/// <summary>
/// Keras's <c>ExponentialDecay</c>: <c>lr(step) = initial · rate^(step / decaySteps)</c>, decayed on every step;
/// with <see cref="Staircase"/> the exponent is <c>floor(step / decaySteps)</c>, so the rate drops every
/// <see cref="DecaySteps"/> steps.
/// </summary>
public sealed class ExponentialDecay : PeriodicDecay
{
    /// <param name="initialLearningRate">The rate at step 0 (finite, ≥ 0).</param>
    /// <param name="decaySteps">The steps over which the rate is multiplied by <paramref name="decayRate"/> (≥ 1).</param>
    /// <param name="decayRate">The factor per <paramref name="decaySteps"/> steps (finite, ≥ 0).</param>
    /// <param name="staircase">Whether to decay in whole periods instead of continuously.</param>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
        : base(initialLearningRate, decaySteps, decayRate, staircase)
    {
    }

    private protected override double Decay(double progress) => InitialLearningRate * Math.Pow(DecayRate, progress);
}
