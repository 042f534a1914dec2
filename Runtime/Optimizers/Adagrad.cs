using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's Adagrad: acc (starting at the initial accumulator value) ← acc + g²; w ← w − η·g/√(acc + ε), ε inside the root.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private float[] _accumulator = [];

    public Adagrad(float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f) : base(learningRate)
    {
        if (!(initialAccumulatorValue >= 0f && float.IsFinite(initialAccumulatorValue)))
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), initialAccumulatorValue, "Expected a finite initial accumulator value >= 0.");
        if (!(epsilon >= 0f)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Expected epsilon >= 0.");
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
    }

    public float InitialAccumulatorValue { get; }
    public float Epsilon { get; }

    protected override void Build(int length)
    {
        _accumulator = new float[length];
        Array.Fill(_accumulator, InitialAccumulatorValue);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, TensorStep step)
    {
        float eta = step.LearningRate, eps = Epsilon;
        var accumulator = _accumulator.AsSpan(offset, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = step.Gradient(gradients[i]);
            accumulator[i] += g * g;
            parameters[i] = step.Decay(parameters[i]) - eta * g / MathF.Sqrt(accumulator[i] + eps);
        }
    }
}
