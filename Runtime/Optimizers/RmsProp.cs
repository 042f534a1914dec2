using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's RMSprop: v ← ρ·v + (1 − ρ)·g²; centered: ḡ ← ρ·ḡ + (1 − ρ)·g and d = v − ḡ² + ε, else d = v + ε
/// (ε inside the root); inc = η·g/√d; with momentum μ: mom ← μ·mom + inc, w ← w − mom (η inside the buffer, not
/// Nesterov); without: w ← w − inc. The slots start at 0.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private float[] _velocity = [], _averageGradient = [], _momentum = [];

    public RmsProp(float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false)
        : base(learningRate)
    {
        if (!(rho >= 0f && rho < 1f)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "Expected rho in [0, 1).");
        if (!(momentum >= 0f && momentum <= 1f)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Expected a momentum in [0, 1].");
        if (!(epsilon >= 0f)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Expected epsilon >= 0.");
        Rho = rho;
        Momentum = momentum;
        Epsilon = epsilon;
        Centered = centered;
    }

    public float Rho { get; }
    public float Momentum { get; }
    public float Epsilon { get; }
    public bool Centered { get; }

    protected override void Build(int length)
    {
        _velocity = new float[length];
        if (Centered) _averageGradient = new float[length];
        if (Momentum > 0f) _momentum = new float[length];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, TensorStep step)
    {
        float eta = step.LearningRate, rho = Rho, oneMinusRho = 1f - Rho, mu = Momentum, eps = Epsilon;
        var v = _velocity.AsSpan(offset, parameters.Length);
        var average = Centered ? _averageGradient.AsSpan(offset, parameters.Length) : default;
        var mom = mu > 0f ? _momentum.AsSpan(offset, parameters.Length) : default;
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = step.Gradient(gradients[i]);
            v[i] = rho * v[i] + oneMinusRho * (g * g);
            float denominator;
            if (Centered)
            {
                average[i] = rho * average[i] + oneMinusRho * g;
                denominator = v[i] - average[i] * average[i] + eps;
            }
            else
            {
                denominator = v[i] + eps;
            }
            float increment = eta * g / MathF.Sqrt(denominator);
            float w = step.Decay(parameters[i]);
            if (mu > 0f) parameters[i] = w - (mom[i] = mu * mom[i] + increment);
            else parameters[i] = w - increment;
        }
    }
}
