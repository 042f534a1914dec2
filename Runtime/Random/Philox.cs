namespace Gen;

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the counter-based
/// generator of cuRAND and JAX. Output is a pure function of (key, counter), so the same numbers come out
/// on any machine, any thread count, and on a GPU; nothing is stateful.
/// </summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Four random 32-bit words for the 128-bit counter (c0..c3) under the 64-bit key.</summary>
    public static (uint, uint, uint, uint) Generate(ulong key, uint c0, uint c1, uint c2, uint c3)
    {
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            uint n3 = (uint)p0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
            k0 += W0; k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with uniform floats in [0, 1) (24-bit resolution): element i is
    /// drawn from counter (i / 4, stream) under <paramref name="key"/>.
    /// </summary>
    public static void FillUniform(Span<float> destination, ulong key, ulong stream)
    {
        const float Scale = 1f / (1 << 24);
        for (int block = 0; block * 4 < destination.Length; block++)
        {
            var (a, b, c, d) = Generate(key, (uint)block, (uint)((ulong)block >> 32), (uint)stream, (uint)(stream >> 32));
            int i = block * 4;
            destination[i] = (a >> 8) * Scale;
            if (i + 1 < destination.Length) destination[i + 1] = (b >> 8) * Scale;
            if (i + 2 < destination.Length) destination[i + 2] = (c >> 8) * Scale;
            if (i + 3 < destination.Length) destination[i + 3] = (d >> 8) * Scale;
        }
    }

    /// <summary>A uniform integer in [0, bound) from one draw; used for shuffling (bias below 2^-32·bound).</summary>
    public static int NextInt(ulong key, ulong counter, ulong stream, int bound)
    {
        var (a, b, _, _) = Generate(key, (uint)counter, (uint)(counter >> 32), (uint)stream, (uint)(stream >> 32));
        ulong r = ((ulong)a << 32) | b;
        return (int)(((UInt128)r * (ulong)bound) >> 64);
    }
}
