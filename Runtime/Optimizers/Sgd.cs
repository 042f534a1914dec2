using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's SGD. Without momentum: w ← w − η·g. With momentum μ: m ← μ·m − η·g, then w ← w + m, or with
/// Nesterov w ← w + μ·m − η·g. The velocity holds η, so a changed learning rate leaves past steps as they were.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[] _velocity = [];

    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false) : base(learningRate)
    {
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Expected a momentum in [0, 1].");
        Momentum = momentum;
        Nesterov = nesterov;
    }

    public float Momentum { get; }
    public bool Nesterov { get; }

    protected override void Build(int length)
    {
        if (Momentum > 0f) _velocity = new float[length];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, TensorStep step)
    {
        float eta = step.LearningRate, mu = Momentum;
        if (mu == 0f)
        {
            for (int i = 0; i < parameters.Length; i++) parameters[i] = step.Decay(parameters[i]) - eta * step.Gradient(gradients[i]);
            return;
        }
        var m = _velocity.AsSpan(offset, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = step.Gradient(gradients[i]);
            float v = m[i] = mu * m[i] - eta * g;
            parameters[i] = step.Decay(parameters[i]) + (Nesterov ? mu * v - eta * g : v);
        }
    }
}
