using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
namespace Gen;

/// <summary>
/// Keras's Adam: with t = iterations + 1 and α = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ),
/// m ← m + (g − m)(1 − β₁), v ← v + (g² − v)(1 − β₂), (amsgrad: v̂ ← max(v̂, v), used for v),
/// w ← w − α·m/(√v + ε). Epsilon is added to the uncorrected √v ("epsilon hat"), as Keras does.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly AdamEquations _adam;

    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false)
        : base(learningRate)
    {
        _adam = new AdamEquations(beta1, beta2, epsilon, amsgrad);
    }

    public float Beta1 => _adam.Beta1;
    public float Beta2 => _adam.Beta2;
    public float Epsilon => _adam.Epsilon;
    public bool Amsgrad => _adam.Amsgrad;

    protected override void Build(int length) => _adam.Build(length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, TensorStep step) =>
        _adam.UpdateStep(parameters, gradients, offset, step);
}

/// <summary>Adam's slot variables and update equations, shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal sealed class AdamEquations
{
    private float[] _m = [], _v = [], _vMax = [];

    public AdamEquations(float beta1, float beta2, float epsilon, bool amsgrad)
    {
        if (!(beta1 >= 0f && beta1 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Expected beta1 in [0, 1).");
        if (!(beta2 >= 0f && beta2 < 1f)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Expected beta2 in [0, 1).");
        if (!(epsilon >= 0f)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Expected epsilon >= 0.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Amsgrad = amsgrad;
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Epsilon { get; }
    public bool Amsgrad { get; }

    public void Build(int length)
    {
        _m = new float[length];
        _v = new float[length];
        if (Amsgrad) _vMax = new float[length];
    }

    public void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, Optimizer.TensorStep step)
    {
        // Keras computes the bias correction in float32 from the float32 betas.
        float t = step.Iterations + 1;
        float alpha = step.LearningRate * MathF.Sqrt(1f - MathF.Pow(Beta2, t)) / (1f - MathF.Pow(Beta1, t));
        float oneMinusB1 = 1f - Beta1, oneMinusB2 = 1f - Beta2, eps = Epsilon;
        var m = _m.AsSpan(offset, parameters.Length);
        var v = _v.AsSpan(offset, parameters.Length);
        var vMax = Amsgrad ? _vMax.AsSpan(offset, parameters.Length) : default;
        int i = 0;
        if (Vector.IsHardwareAccelerated && !Amsgrad)
        {
            // The same operations, in the same order, as the loop below: the results are bit-identical.
            var c1 = new Vector<float>(oneMinusB1);
            var c2 = new Vector<float>(oneMinusB2);
            var va = new Vector<float>(alpha);
            var ve = new Vector<float>(eps);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = step.Gradient(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(gradients), (nuint)i));
                ref float mr = ref m[i];
                ref float vr = ref v[i];
                ref float pr = ref parameters[i];
                var mi = Vector.LoadUnsafe(ref mr);
                var vi = Vector.LoadUnsafe(ref vr);
                mi += (g - mi) * c1;
                vi += (g * g - vi) * c2;
                mi.StoreUnsafe(ref mr);
                vi.StoreUnsafe(ref vr);
                (step.Decay(Vector.LoadUnsafe(ref pr)) - va * mi / (Vector.SquareRoot(vi) + ve)).StoreUnsafe(ref pr);
            }
        }
        for (; i < parameters.Length; i++)
        {
            float g = step.Gradient(gradients[i]);
            m[i] += (g - m[i]) * oneMinusB1;
            v[i] += (g * g - v[i]) * oneMinusB2;
            float vi = Amsgrad ? vMax[i] = MathF.Max(vMax[i], v[i]) : v[i];
            parameters[i] = step.Decay(parameters[i]) - alpha * m[i] / (MathF.Sqrt(vi) + eps);
        }
    }
}
