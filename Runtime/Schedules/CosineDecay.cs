namespace Gen;

/// <summary>
/// Keras's <c>CosineDecay</c>, with an optional linear warmup.
/// <list type="bullet">
/// <item>Without warmup (<see cref="WarmupTarget"/> null): <c>s = min(step, decaySteps)</c>,
/// <c>lr = initial · ((1 − α) · ½(1 + cos(π s / decaySteps)) + α)</c>. <see cref="Alpha"/> is a fraction of the
/// starting rate, and the rate stays at <c>α · initial</c> after <see cref="DecaySteps"/> (no restart).</item>
/// <item>With warmup: <c>s = min(step, warmupSteps + decaySteps)</c>; while <c>s &lt; warmupSteps</c>,
/// <c>lr = initial + (target − initial) · s / warmupSteps</c>; after it, the cosine above over
/// <c>s − warmupSteps</c>, starting from the target (so <c>lr(warmupSteps) = target</c>).</item>
/// </list>
/// Keras's docstring leaves out the <c>+ initial</c> of the warmup; its code, followed here, has it.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <param name="initialLearningRate">The rate at step 0 (finite, ≥ 0).</param>
    /// <param name="decaySteps">The length of the cosine decay (≥ 1).</param>
    /// <param name="alpha">The final rate as a fraction of the decay's starting rate, in [0, 1].</param>
    /// <param name="warmupTarget">The rate the warmup climbs to (finite, ≥ 0), or null for no warmup.</param>
    /// <param name="warmupSteps">The length of the warmup (≥ 0); used only with <paramref name="warmupTarget"/>.</param>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0, double? warmupTarget = null, long warmupSteps = 0)
    {
        CheckLearningRate(initialLearningRate, nameof(initialLearningRate));
        CheckSteps(decaySteps, nameof(decaySteps));
        CheckRange(alpha, 0, 1, nameof(alpha));
        if (warmupTarget is { } target) CheckLearningRate(target, nameof(warmupTarget));
        if (warmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, Format($"Expected warmupSteps >= 0; got {warmupSteps}."));
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        Alpha = alpha;
        WarmupTarget = warmupTarget;
        WarmupSteps = warmupSteps;
    }

    public double InitialLearningRate { get; }
    public long DecaySteps { get; }
    public double Alpha { get; }
    public double? WarmupTarget { get; }
    public long WarmupSteps { get; }

    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        if (WarmupTarget is not { } target)
            return (float)Decayed(Math.Min(step, DecaySteps), InitialLearningRate);

        long s = Math.Min(step, WarmupSteps + DecaySteps);
        if (s < WarmupSteps)
            return (float)((target - InitialLearningRate) * ((double)s / WarmupSteps) + InitialLearningRate);
        return (float)Decayed(s - WarmupSteps, target);
    }

    private double Decayed(long s, double from)
    {
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * ((double)s / DecaySteps)));
        return from * ((1 - Alpha) * cosine + Alpha);
    }
}
