namespace Gen;

/// <summary>
/// Keras's <c>InverseTimeDecay</c>: <c>lr(step) = initial / (1 + rate · step / decaySteps)</c>; with
/// <see cref="Staircase"/>, <c>step / decaySteps</c> is floored.
/// </summary>
public sealed class InverseTimeDecay : PeriodicDecay
{
    /// <param name="initialLearningRate">The rate at step 0 (finite, ≥ 0).</param>
    /// <param name="decaySteps">The steps per unit of decay (≥ 1).</param>
    /// <param name="decayRate">The decay per <paramref name="decaySteps"/> steps (finite, ≥ 0).</param>
    /// <param name="staircase">Whether to decay in whole periods instead of continuously.</param>
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
        : base(initialLearningRate, decaySteps, decayRate, staircase)
    {
    }

    private protected override double Decay(double progress) => InitialLearningRate / (1 + DecayRate * progress);
}
