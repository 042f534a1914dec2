using System.Globalization;

namespace Gen;

/// <summary>
/// The base of Keras's learning-rate schedules (<c>keras.optimizers.schedules</c>): a pure function of the
/// 0-based optimizer step, taken before the step counter is incremented. The built-in schedules compute in
/// float64 and round the result to float32 once. Subclass it and override <see cref="GetLearningRate"/> for
/// a schedule of your own.
/// </summary>
public abstract class LearningRateSchedule : ILearningRateSchedule
{
    /// <summary>The learning rate for the update at 0-based step <paramref name="step"/> (0 for the first update).</summary>
    public abstract float GetLearningRate(long step);

    /// <summary>Throws unless <paramref name="value"/> is a finite learning rate ≥ 0.</summary>
    protected static void CheckLearningRate(double value, string paramName)
    {
        if (!(value >= 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(paramName, value, Format($"Expected {paramName} to be a finite learning rate >= 0; got {value}."));
    }

    /// <summary>Throws unless <paramref name="value"/> is at least 1.</summary>
    protected static void CheckSteps(long value, string paramName)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(paramName, value, Format($"Expected {paramName} > 0; got {value}."));
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    protected static void CheckRange(double value, double min, double max, string paramName)
    {
        if (!(value >= min && value <= max && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(paramName, value, double.IsPositiveInfinity(max)
                ? Format($"Expected {paramName} to be a finite number >= {min}; got {value}.")
                : Format($"Expected {paramName} in [{min}, {max}]; got {value}."));
    }

    /// <summary>Throws unless <paramref name="step"/> ≥ 0.</summary>
    protected static void CheckStep(long step)
    {
        if (step < 0)
            throw new ArgumentOutOfRangeException(nameof(step), step, Format($"Expected an optimizer step >= 0; got {step}."));
    }

    private protected static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
