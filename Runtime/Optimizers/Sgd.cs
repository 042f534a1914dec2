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

    protected override void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, long iteration)
    {
        if (Momentum == 0f)
        {
            for (int i = 0; i < parameters.Length; i++) parameters[i] -= learningRate * gradients[i];
            return;
        }
        float mu = Momentum;
        var m = _velocity.AsSpan(0, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float v = mu * m[i] - learningRate * g;
            m[i] = v;
            parameters[i] += Nesterov ? mu * v - learningRate * g : v;
        }
    }
}
