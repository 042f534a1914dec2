namespace Gen;

/// <summary>
/// Keras's <c>InverseTimeDecay</c>: <c>lr(step) = initial / (1 + rate · step / decaySteps)</c>; with
/// <see cref="Staircase"/>, <c>step / decaySteps</c> is floored.
/// </summary>
public sealed class InverseTimeDecay : LearningRateSchedule
{
    /// <param name="initialLearningRate">The rate at step 0 (finite, ≥ 0).</param>
    /// <param name="decaySteps">The steps per unit of decay (≥ 1).</param>
    /// <param name="decayRate">The decay per <paramref name="decaySteps"/> steps (finite, ≥ 0).</param>
    /// <param name="staircase">Whether to decay in whole periods instead of continuously.</param>
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
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
        return (float)(InitialLearningRate / (1 + DecayRate * p));
    }
}
