using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's AdamW: <see cref="Adam"/> with a weight decay that defaults to 0.004 and cannot be turned off. The decay is the
/// decoupled one of every optimizer, w ← w − w·λ·η before the Adam step; it never enters m or v.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly AdamEquations _adam;

    public AdamW(float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false)
        : base(learningRate)
    {
        if (!(weightDecay >= 0f && float.IsFinite(weightDecay)))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Expected a finite weight decay >= 0.");
        _adam = new AdamEquations(beta1, beta2, epsilon, amsgrad);
        WeightDecay = weightDecay;
    }

    public float Beta1 => _adam.Beta1;
    public float Beta2 => _adam.Beta2;
    public float Epsilon => _adam.Epsilon;
    public bool Amsgrad => _adam.Amsgrad;

    private protected override bool RequiresWeightDecay => true;

    protected override void Build(int length) => _adam.Build(length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, TensorStep step) =>
        _adam.UpdateStep(parameters, gradients, offset, step);
}
