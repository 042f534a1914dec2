using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Cpu;

/// <summary>
/// The affine map of a dense layer and its gradients, row-major, with Keras's kernel layout W (inputs, units).
/// Every output element is summed in a fixed order, so results do not depend on the machine's vector width
/// beyond float rounding of that order, nor on threads.
/// </summary>
public static class Dense
{
    /// <summary>x (B, I) @ W (I, O) + b (O) -> y (B, O). An empty <paramref name="bias"/> means no bias.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, int batch, int inputs, int outputs)
    {
        for (int r = 0; r < batch; r++)
        {
            var row = y.Slice(r * outputs, outputs);
            if (bias.IsEmpty) row.Clear(); else bias.CopyTo(row);
            var xr = x.Slice(r * inputs, inputs);
            for (int k = 0; k < inputs; k++)
            {
                float a = xr[k];
                if (a != 0f) Axpy(a, weights.Slice(k * outputs, outputs), row);
            }
        }
    }

    /// <summary>dW (I, O) = xᵀ @ dy (overwrites); db (O) = Σ_rows dy (overwrites, skipped when empty).</summary>
    public static void BackwardParameters(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dWeights, Span<float> dBias, int batch, int inputs, int outputs)
    {
        dWeights.Clear();
        for (int r = 0; r < batch; r++)
        {
            var dyr = dy.Slice(r * outputs, outputs);
            var xr = x.Slice(r * inputs, inputs);
            for (int k = 0; k < inputs; k++)
            {
                float a = xr[k];
                if (a != 0f) Axpy(a, dyr, dWeights.Slice(k * outputs, outputs));
            }
        }
        if (!dBias.IsEmpty)
        {
            dBias.Clear();
            for (int r = 0; r < batch; r++) Add(dy.Slice(r * outputs, outputs), dBias);
        }
    }

    /// <summary>dx (B, I) = dy (B, O) @ Wᵀ (overwrites).</summary>
    public static void BackwardInput(ReadOnlySpan<float> dy, ReadOnlySpan<float> weights, Span<float> dx, int batch, int inputs, int outputs)
    {
        for (int r = 0; r < batch; r++)
        {
            var dyr = dy.Slice(r * outputs, outputs);
            var dxr = dx.Slice(r * inputs, inputs);
            for (int k = 0; k < inputs; k++) dxr[k] = Dot(dyr, weights.Slice(k * outputs, outputs));
        }
    }

    /// <summary>y += a·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var va = new Vector<float>(a);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < vx.Length; v++) vy[v] = Vector.FusedMultiplyAdd(va, vx[v], vy[v]);
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] = MathF.FusedMultiplyAdd(a, x[i], y[i]);
    }

    /// <summary>y += x.</summary>
    internal static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < vx.Length; v++) vy[v] += vx[v];
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] += x[i];
    }

    /// <summary>Σ x·y, vector lanes first, then the lanes in order, then the tail.</summary>
    internal static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(0, x.Length));
            for (int v = 0; v < vx.Length; v++) acc = Vector.FusedMultiplyAdd(vx[v], vy[v], acc);
            sum = Vector.Sum(acc);
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        return sum;
    }
}
