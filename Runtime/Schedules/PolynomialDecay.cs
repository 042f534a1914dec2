namespace Gen;

/// <summary>
/// Keras's <c>PolynomialDecay</c>: <c>lr(step) = (initial − end)·(1 − p)^power + end</c> with
/// <c>p = min(step, decaySteps) / decaySteps</c>, so the rate reaches <see cref="EndLearningRate"/> at
/// <see cref="DecaySteps"/> and stays there. With <see cref="Cycle"/>, <c>decaySteps</c> is first multiplied by
/// <c>ceil(step / decaySteps)</c> (by 1 at step 0), so the decay restarts after each period; a step that is an
/// exact multiple of <c>decaySteps</c> ends its period at <see cref="EndLearningRate"/>.
/// </summary>
public sealed class PolynomialDecay : LearningRateSchedule
{
    /// <param name="initialLearningRate">The rate at step 0 (finite, ≥ 0).</param>
    /// <param name="decaySteps">The length of the decay (≥ 1).</param>
    /// <param name="endLearningRate">The rate at the end of the decay (finite, ≥ 0).</param>
    /// <param name="power">The power of the polynomial (finite, ≥ 0); 1 is linear.</param>
    /// <param name="cycle">Whether to restart the decay after each <paramref name="decaySteps"/>-long period.</param>
    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate = 1e-4, double power = 1, bool cycle = false)
    {
        CheckLearningRate(initialLearningRate, nameof(initialLearningRate));
        CheckSteps(decaySteps, nameof(decaySteps));
        CheckLearningRate(endLearningRate, nameof(endLearningRate));
        CheckRange(power, 0, double.PositiveInfinity, nameof(power));
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        EndLearningRate = endLearningRate;
        Power = power;
        Cycle = cycle;
    }

    public double InitialLearningRate { get; }
    public long DecaySteps { get; }
    public double EndLearningRate { get; }
    public double Power { get; }
    public bool Cycle { get; }

    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        double s = step, decaySteps = DecaySteps;
        if (Cycle)
            decaySteps *= step == 0 ? 1 : Math.Ceiling(s / decaySteps);
        else
            s = Math.Min(s, decaySteps);
        double p = s / decaySteps;
        return (float)((InitialLearningRate - EndLearningRate) * Math.Pow(1 - p, Power) + EndLearningRate);
    }
}
