using System.Runtime.CompilerServices;

namespace Gen.Cpu;

/// <summary>
/// Keras's Dropout with inverted scaling: in training each element is kept with probability 1 − rate and scaled by
/// 1/(1 − rate), so the expected output equals the input; at inference y = x.
/// <para>
/// The mask is a pure function of (seed, step, layer index, element index), a contract every backend must honour
/// bit for bit. Element i of the flattened buffer takes word (i mod 4) of
/// <c>Philox.Generate(key: seed, c0: i / 4, c1: (uint)step, c2: (uint)(step &gt;&gt; 32), c3: layerIndex)</c>, where words
/// are numbered 0..3 in the order Generate returns them. With u = (word &gt;&gt; 8)·2⁻²⁴ (a float in [0, 1), exact),
/// the element is kept when u ≥ rate; the compare is in float32 with rate as given. A kept element's mask is
/// 1/(1 − rate) computed in float32 (<c>1f / (1f - rate)</c>), a dropped one's 0, and y = x·mask in float32.
/// </para>
/// </summary>
public static class Dropout
{
    /// <summary>
    /// x (n) -> y (n), both overwritten. In training <paramref name="mask"/> (n) receives 0 or 1/(1 − rate) and
    /// y = x·mask; at inference, or with rate 0, y = x and the mask is filled with 1 when it is not empty.
    /// <paramref name="step"/> is the training step (the same for forward and backward of one step), and
    /// <paramref name="layerIndex"/> tells the model's dropout layers apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, float rate, ulong seed, long step, int layerIndex, bool training)
    {
        if (!(rate >= 0f && rate < 1f)) throw new ArgumentException($"Expected a dropout rate in [0, 1); got {rate}.", nameof(rate));
        if (y.Length < x.Length) throw new ArgumentException($"Expected y to hold at least {x.Length} floats; got {y.Length}.", nameof(y));
        int n = x.Length;
        if (!training || rate == 0f)
        {
            if (!mask.IsEmpty)
            {
                if (mask.Length < n) throw new ArgumentException($"Expected the mask to hold at least {n} floats; got {mask.Length}.", nameof(mask));
                mask[..n].Fill(1f);
            }
            x.CopyTo(y);
            return;
        }
        if (mask.Length < n) throw new ArgumentException($"Expected the mask to hold at least {n} floats; got {mask.Length}.", nameof(mask));
        float scale = 1f / (1f - rate);
        uint c1 = (uint)step, c2 = (uint)((ulong)step >> 32), c3 = (uint)layerIndex;
        for (int i = 0; i < n; i += 4)
        {
            var (w0, w1, w2, w3) = Philox.Generate(seed, (uint)(i >> 2), c1, c2, c3);
            Keep(x, y, mask, i, w0, rate, scale);
            if (i + 1 < n) Keep(x, y, mask, i + 1, w1, rate, scale);
            if (i + 2 < n) Keep(x, y, mask, i + 2, w2, rate, scale);
            if (i + 3 < n) Keep(x, y, mask, i + 3, w3, rate, scale);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(ReadOnlySpan<float> x, Span<float> y, Span<float> mask, int i, uint word, float rate, float scale)
    {
        const float Unit = 1f / (1 << 24);
        float m = (word >> 8) * Unit >= rate ? scale : 0f;
        mask[i] = m;
        y[i] = x[i] * m;
    }

    /// <summary>dx = dy·mask (overwrites), with the mask of the forward pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx)
    {
        if (mask.Length < dy.Length) throw new ArgumentException($"Expected the mask to hold at least {dy.Length} floats; got {mask.Length}.", nameof(mask));
        if (dx.Length < dy.Length) throw new ArgumentException($"Expected dx to hold at least {dy.Length} floats; got {dx.Length}.", nameof(dx));
        for (int i = 0; i < dy.Length; i++) dx[i] = dy[i] * mask[i];
    }
}
