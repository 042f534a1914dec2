namespace Gen;

/// <summary>
/// An optimizer with Keras 3's semantics, applied to one flat buffer of parameters and the matching
/// buffer of gradients. Slot variables (moments, velocities) are created on the first
/// <see cref="Apply"/> with the buffer's length and live in one arena of their own.
/// The learning rate can be read and assigned between steps; a new value applies from the next step.
/// </summary>
public abstract class Optimizer
{
    private int _length = -1;

    protected Optimizer(float learningRate)
    {
        if (!IsValidLearningRate(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, LearningRateMessage);
        LearningRate = learningRate;
    }

    /// <summary>The learning rate η used by the next step.</summary>
    public float LearningRate
    {
        get;
        set
        {
            if (!IsValidLearningRate(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, LearningRateMessage);
            field = value;
        }
    }

    private const string LearningRateMessage = "The learning rate must be a finite number >= 0.";

    private static bool IsValidLearningRate(float value) => value >= 0 && !float.IsInfinity(value);

    /// <summary>The number of updates applied so far (Keras's <c>iterations</c>, 0 before the first step).</summary>
    public long Iterations { get; private set; }

    /// <summary>
    /// Applies one update: <paramref name="parameters"/> ← update(<paramref name="parameters"/>, <paramref name="gradients"/>).
    /// The learning rate is the one in force before the step counter is incremented, so the first update uses step 0.
    /// </summary>
    public void Apply(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (gradients.Length != parameters.Length)
            throw new ArgumentException($"Expected one gradient per parameter ({parameters.Length}); got {gradients.Length}.", nameof(gradients));
        if (_length < 0)
        {
            Build(parameters.Length);
            _length = parameters.Length;
        }
        else if (_length != parameters.Length)
        {
            throw new ArgumentException($"This optimizer was built for {_length} parameters; got {parameters.Length}.", nameof(parameters));
        }
        UpdateStep(parameters, gradients, LearningRate, Iterations);
        Iterations++;
    }

    /// <summary>Creates the slot variables for a parameter buffer of the given length.</summary>
    protected abstract void Build(int length);

    /// <summary>
    /// The update equations over the whole buffer, in one pass. <paramref name="iteration"/> is the 0-based
    /// step (Keras's <c>iterations</c> before the increment).
    /// </summary>
    protected abstract void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, long iteration);
}
