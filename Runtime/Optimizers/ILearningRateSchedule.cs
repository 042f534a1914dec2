namespace Gen;

/// <summary>
/// A learning rate as a pure function of the optimizer step (Keras's <c>LearningRateSchedule</c>):
/// <paramref name="step"/> is the 0-based <c>iterations</c> count taken before the increment, so the first
/// update uses <c>GetLearningRate(0)</c>.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for the update at 0-based step <paramref name="step"/>.</summary>
    float GetLearningRate(long step);
}
