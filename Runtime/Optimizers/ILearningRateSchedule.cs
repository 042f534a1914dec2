namespace Gen;

/// <summary>
/// A learning rate that is a function of the optimizer's step, as Keras's <c>LearningRateSchedule</c>.
/// <see cref="Optimizer"/> asks it for the rate of every update and never caches the answer.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>
    /// The learning rate at <paramref name="step"/>: the number of <see cref="Optimizer.Apply"/> calls made before this
    /// one (Keras's <c>_iterations</c>, 0 for the first call), counting calls that only accumulate gradients.
    /// </summary>
    float GetLearningRate(long step);
}
