namespace Gen.Runtime.Tests;

public sealed class PhiloxTests
{
    /// <summary>Random123's known-answer vectors for philox4x32 with 10 rounds (kat_vectors): counter, key (k0, k1), output.</summary>
    public static TheoryData<uint[], uint, uint, uint[]> KnownAnswers => new()
    {
        { [0u, 0u, 0u, 0u], 0u, 0u, [0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u] },
        { [0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu], 0xffffffffu, 0xffffffffu, [0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu] },
        { [0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u], 0xa4093822u, 0x299f31d0u, [0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u] },
    };

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void Generate_MatchesRandom123KnownAnswers(uint[] counter, uint k0, uint k1, uint[] expected)
    {
        ulong key = ((ulong)k1 << 32) | k0;

        var (a, b, c, d) = Philox.Generate(key, counter[0], counter[1], counter[2], counter[3]);

        Assert.Equal(expected, new[] { a, b, c, d });
    }

    [Fact]
    public void FillUniform_IsInUnitIntervalAndUsesConsecutiveCounterWords()
    {
        var values = new float[10];

        Philox.FillUniform(values, key: 42, stream: 3);

        Assert.All(values, v => Assert.InRange(v, 0f, 0.99999994f));
        // Element i comes from word i % 4 of counter (i / 4, 0, stream, 0), top 24 bits.
        var (_, _, _, d) = Philox.Generate(42, 1, 0, 3, 0);
        Assert.Equal((d >> 8) / 16777216f, values[7]);
        var (a, _, _, _) = Philox.Generate(42, 2, 0, 3, 0);
        Assert.Equal((a >> 8) / 16777216f, values[8]);
    }

    [Fact]
    public void FillUniform_PrefixOfLongerFill_IsTheSame()
    {
        var shorter = new float[7];
        var longer = new float[64];

        Philox.FillUniform(shorter, key: 9, stream: 1);
        Philox.FillUniform(longer, key: 9, stream: 1);

        Assert.Equal(shorter, longer[..7]);
    }

    [Fact]
    public void NextInt_StaysBelowBound_AndCoversIt()
    {
        var seen = new bool[7];
        for (ulong counter = 0; counter < 500; counter++)
        {
            int value = Philox.NextInt(key: 5, counter, stream: 0, bound: 7);
            Assert.InRange(value, 0, 6);
            seen[value] = true;
        }

        Assert.All(seen, Assert.True);
    }
}
