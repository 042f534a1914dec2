namespace Gen;

/// <summary>
/// Keras's <c>PiecewiseConstantDecay</c>: <c>values[0]</c> while <c>step ≤ boundaries[0]</c>, <c>values[i]</c>
/// while <c>boundaries[i−1] &lt; step ≤ boundaries[i]</c>, and <c>values[^1]</c> once <c>step &gt; boundaries[^1]</c>.
/// A step exactly on a boundary keeps the earlier value.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly float[] _values;

    /// <param name="boundaries">At least one step, strictly increasing.</param>
    /// <param name="values">One more rate than <paramref name="boundaries"/>, each finite and ≥ 0.</param>
    public PiecewiseConstantDecay(long[] boundaries, float[] values)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (boundaries.Length == 0)
            throw new ArgumentException("Expected at least one boundary; got none.", nameof(boundaries));
        if (values.Length != boundaries.Length + 1)
            throw new ArgumentException(Format(
                $"Expected one more value than boundaries ({boundaries.Length} + 1 = {boundaries.Length + 1}); got {values.Length} values."), nameof(values));
        for (int i = 1; i < boundaries.Length; i++)
        {
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException(Format(
                    $"Expected strictly increasing boundaries; got boundaries[{i - 1}] = {boundaries[i - 1]} and boundaries[{i}] = {boundaries[i]}."), nameof(boundaries));
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!(values[i] >= 0 && float.IsFinite(values[i])))
                throw new ArgumentOutOfRangeException(nameof(values), values[i], Format($"Expected finite learning rates >= 0; got values[{i}] = {values[i]}."));
        }
        _boundaries = (long[])boundaries.Clone();
        _values = (float[])values.Clone();
    }

    public IReadOnlyList<long> Boundaries => _boundaries;
    public IReadOnlyList<float> Values => _values;

    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        int i = 0;
        while (i < _boundaries.Length && step > _boundaries[i]) i++;
        return _values[i];
    }
}
