using Gen;

namespace Gen.Samples.Schedules;

/// <summary>
/// A schedule of your own: subclass <see cref="LearningRateSchedule"/> and say what the rate is at each step.
/// This one climbs linearly from 0 to <c>peak</c> over <c>warmupSteps</c>, then falls along a half cosine to 0
/// at <c>totalSteps</c>, and stays there.
/// </summary>
public sealed class WarmupCosine(double peak, long warmupSteps, long totalSteps) : LearningRateSchedule
{
    /// <param name="step">The optimizer's step, 0 for the first update.</param>
    public override float GetLearningRate(long step)
    {
        if (step < warmupSteps) return (float)(peak * step / warmupSteps);
        double done = Math.Min(1.0, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
        return (float)(peak * 0.5 * (1 + Math.Cos(Math.PI * done)));
    }
}
