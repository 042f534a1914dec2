namespace Gen.Runtime.Tests.Schedules;

/// <summary>
/// Each schedule against an independent float64 reference of Keras's formula (docs/keras-semantics.md §7),
/// written differently from the implementation where that is possible (periods walked step by step,
/// multiples found by counting), at step 0, step 1, on and around every boundary, and far past the end.
/// </summary>
public sealed class ScheduleTests
{
    /// <summary>Asserts the schedule's float32 equals the float64 reference to within float32 rounding.</summary>
    private static void AssertMatches(ILearningRateSchedule schedule, Func<long, double> reference, params long[] steps)
    {
        foreach (long step in steps)
        {
            double expected = reference(step);
            float actual = schedule.GetLearningRate(step);
            Assert.True(Math.Abs(actual - expected) <= 1e-7 * Math.Abs(expected) + 1e-12,
                $"step {step}: expected {expected:R}, got {actual:R}");
        }
    }

    // ---- ExponentialDecay ----

    [Fact]
    public void ExponentialDecay_DecaysContinuouslyByDefault()
    {
        var schedule = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5);
        AssertMatches(schedule, step => 0.1 * Math.Exp(step / 10.0 * Math.Log(0.5)), 0, 1, 5, 9, 10, 11, 20, 1000);
        Assert.Equal(0.1f, schedule.GetLearningRate(0));
        Assert.Equal(0.05f, schedule.GetLearningRate(10));
        Assert.True(schedule.GetLearningRate(1) < schedule.GetLearningRate(0), "continuous decay lowers the rate from step 1");
    }

    [Fact]
    public void ExponentialDecay_Staircase_DropsOnlyAtEachPeriod()
    {
        var schedule = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5, staircase: true);
        static double Reference(long step)
        {
            double lr = 0.1;
            for (long k = 10; k <= step; k += 10) lr *= 0.5;
            return lr;
        }
        AssertMatches(schedule, Reference, 0, 1, 9, 10, 11, 19, 20, 21, 99, 100);
        Assert.Equal(schedule.GetLearningRate(0), schedule.GetLearningRate(9));
        Assert.Equal(schedule.GetLearningRate(10), schedule.GetLearningRate(19));
    }

    // ---- PiecewiseConstantDecay ----

    [Theory]
    [InlineData(0, 1.0f)]
    [InlineData(1, 1.0f)]
    [InlineData(9, 1.0f)]
    [InlineData(10, 1.0f)] // on a boundary: the earlier value
    [InlineData(11, 0.5f)]
    [InlineData(20, 0.5f)]
    [InlineData(21, 0.1f)]
    [InlineData(1_000_000_000_000, 0.1f)]
    public void PiecewiseConstantDecay_KeepsTheEarlierValueOnABoundary(long step, float expected)
    {
        var schedule = new PiecewiseConstantDecay([10, 20], [1.0f, 0.5f, 0.1f]);
        Assert.Equal(expected, schedule.GetLearningRate(step));
    }

    [Fact]
    public void PiecewiseConstantDecay_CopiesItsArrays()
    {
        long[] boundaries = [5];
        float[] values = [1f, 2f];
        var schedule = new PiecewiseConstantDecay(boundaries, values);
        boundaries[0] = 100;
        values[1] = 7f;
        Assert.Equal(2f, schedule.GetLearningRate(6));
    }

    // ---- PolynomialDecay ----

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void PolynomialDecay_ReachesTheEndRateAndStaysThere(double power)
    {
        var schedule = new PolynomialDecay(0.1, decaySteps: 100, endLearningRate: 0.01, power: power);
        AssertMatches(schedule, step =>
        {
            double done = step >= 100 ? 1 : step / 100.0;
            return 0.01 + (0.1 - 0.01) * Math.Pow(1 - done, power);
        }, 0, 1, 50, 99, 100, 101, 1_000_000);
        Assert.Equal(0.01f, schedule.GetLearningRate(100));
        Assert.Equal(0.01f, schedule.GetLearningRate(1_000_000));
    }

    [Fact]
    public void PolynomialDecay_DefaultsToLinearDecayToOneTenThousandth()
    {
        var schedule = new PolynomialDecay(0.1, decaySteps: 10);
        Assert.Equal((float)(0.0001 + (0.1 - 0.0001) * 0.5), schedule.GetLearningRate(5));
        Assert.Equal(1e-4f, schedule.GetLearningRate(10));
    }

    [Fact]
    public void PolynomialDecay_Cycle_RestartsAfterEachPeriod_AndEndsEachPeriodAtTheEndRate()
    {
        var schedule = new PolynomialDecay(0.1, decaySteps: 10, endLearningRate: 0.01, power: 1, cycle: true);
        static double Reference(long step)
        {
            // The first multiple of 10 that is >= step (10 at step 0).
            long period = 10;
            while (period < step) period += 10;
            return 0.01 + 0.09 * (1 - (double)step / period);
        }
        AssertMatches(schedule, Reference, 0, 1, 9, 10, 11, 19, 20, 21, 105, 1003);
        Assert.Equal(0.1f, schedule.GetLearningRate(0));
        Assert.Equal(0.01f, schedule.GetLearningRate(10)); // an exact multiple ends its period
        Assert.True(schedule.GetLearningRate(11) > schedule.GetLearningRate(10), "the decay restarts after a period");
    }

    // ---- InverseTimeDecay ----

    [Fact]
    public void InverseTimeDecay_Continuous()
    {
        var schedule = new InverseTimeDecay(0.1, decaySteps: 10, decayRate: 0.5);
        AssertMatches(schedule, step => 0.1 / (1 + 0.5 * step / 10.0), 0, 1, 9, 10, 11, 1_000_000);
        Assert.Equal((float)(0.1 / 1.5), schedule.GetLearningRate(10));
    }

    [Fact]
    public void InverseTimeDecay_Staircase()
    {
        var schedule = new InverseTimeDecay(0.1, decaySteps: 10, decayRate: 0.5, staircase: true);
        AssertMatches(schedule, step => 0.1 / (1 + 0.5 * (step / 10)), 0, 1, 9, 10, 11, 19, 20, 1_000_005);
        Assert.Equal(0.1f, schedule.GetLearningRate(9));
    }

    // ---- CosineDecay ----

    [Fact]
    public void CosineDecay_FallsToAlphaTimesInitial_AndStaysFlat()
    {
        var schedule = new CosineDecay(0.1, decaySteps: 100, alpha: 0.1);
        AssertMatches(schedule, step =>
        {
            double s = Math.Min(step, 100);
            return 0.1 * (0.9 * (1 + Math.Cos(Math.PI * s / 100)) / 2 + 0.1);
        }, 0, 1, 50, 99, 100, 101, 10_000);
        Assert.Equal(0.1f, schedule.GetLearningRate(0));
        Assert.Equal((float)(0.1 * 0.55), schedule.GetLearningRate(50));
        Assert.Equal((float)(0.1 * 0.1), schedule.GetLearningRate(100));
        Assert.Equal(schedule.GetLearningRate(100), schedule.GetLearningRate(10_000)); // no restart
    }

    [Fact]
    public void CosineDecay_Warmup_ClimbsLinearlyFromInitialToTarget_ThenDecaysFromTheTarget()
    {
        // initial ≠ 0, so the code's "+ initial" (missing from Keras's docstring) matters.
        var schedule = new CosineDecay(0.01, decaySteps: 100, alpha: 0.2, warmupTarget: 0.1, warmupSteps: 10);
        AssertMatches(schedule, step =>
        {
            if (step < 10) return 0.01 + (0.1 - 0.01) * step / 10.0;
            double s = Math.Min(step - 10, 100);
            return 0.1 * (0.8 * (1 + Math.Cos(Math.PI * s / 100)) / 2 + 0.2);
        }, 0, 1, 5, 9, 10, 11, 60, 109, 110, 111, 100_000);
        Assert.Equal(0.01f, schedule.GetLearningRate(0));
        Assert.Equal((float)(0.01 + 0.09 * 0.5), schedule.GetLearningRate(5));
        Assert.Equal(0.1f, schedule.GetLearningRate(10));
        Assert.Equal((float)(0.1 * 0.2), schedule.GetLearningRate(110));
        Assert.Equal(schedule.GetLearningRate(110), schedule.GetLearningRate(100_000));
    }

    [Fact]
    public void CosineDecay_WarmupTargetWithZeroWarmupSteps_DecaysFromTheTarget()
    {
        var schedule = new CosineDecay(0.5, decaySteps: 10, warmupTarget: 0.1);
        Assert.Equal(0.1f, schedule.GetLearningRate(0));
        Assert.Equal(0f, schedule.GetLearningRate(10));
    }

    // ---- CosineDecayRestarts ----

    /// <summary>SGDR walked period by period: period i has length first·tMul^i and peak factor mMul^i.</summary>
    private static Func<long, double> Sgdr(double initial, long first, double tMul, double mMul, double alpha) => step =>
    {
        double start = 0, length = first, m = 1;
        while (step >= start + length)
        {
            start += length;
            length *= tMul;
            m *= mMul;
        }
        double fraction = (step - start) / length;
        return initial * ((1 - alpha) * m * 0.5 * (1 + Math.Cos(Math.PI * fraction)) + alpha);
    };

    [Theory]
    [InlineData(2.0, 1.0, 0.0, new long[] { 0, 1, 9, 10, 11, 29, 30, 31, 69, 70, 71, 150, 1_000_000 })]
    [InlineData(3.0, 0.5, 0.1, new long[] { 0, 1, 9, 10, 11, 39, 40, 41, 129, 130, 131, 399, 400, 401, 123_456 })]
    [InlineData(1.0, 0.8, 0.0, new long[] { 0, 1, 9, 10, 11, 19, 20, 21, 995, 1_000 })]
    [InlineData(1.5, 1.0, 0.05, new long[] { 0, 9, 10, 11, 24, 25, 26, 47, 48, 82, 83, 10_000 })]
    public void CosineDecayRestarts_MatchesSgdrWalkedPeriodByPeriod(double tMul, double mMul, double alpha, long[] steps)
    {
        var schedule = new CosineDecayRestarts(0.1, firstDecaySteps: 10, tMul: tMul, mMul: mMul, alpha: alpha);
        AssertMatches(schedule, Sgdr(0.1, 10, tMul, mMul, alpha), steps);
    }

    [Fact]
    public void CosineDecayRestarts_RestartsExactlyAtEachPeriodStart()
    {
        // tMul = 3: periods of 10, 30, 90, 270, 810 steps start at 0, 10, 40, 130, 400, 1210. At 1210 the closed
        // form's log(1 + 2·121)/log 3 rounds to 4.999…, one period short; the restart must still give the full peak.
        var schedule = new CosineDecayRestarts(1.0, firstDecaySteps: 10, tMul: 3, mMul: 0.5);
        Assert.Equal(1f, schedule.GetLearningRate(0));
        Assert.Equal(0.5f, schedule.GetLearningRate(10));
        Assert.Equal(0.25f, schedule.GetLearningRate(40));
        Assert.Equal(0.125f, schedule.GetLearningRate(130));
        Assert.Equal(0.0625f, schedule.GetLearningRate(400));
        Assert.Equal(0.03125f, schedule.GetLearningRate(1210));
        Assert.True(schedule.GetLearningRate(1209) < 1e-4f, "the step before a restart is near the bottom of the cosine");
        // tMul = 10 from 1 step: periods start at 0, 1, 11, 111 (where log(1 + 9·111)/log 10 rounds down).
        var ten = new CosineDecayRestarts(1.0, firstDecaySteps: 1, tMul: 10, mMul: 0.5);
        Assert.Equal(0.125f, ten.GetLearningRate(111));
    }

    // ---- A schedule of one's own ----

    /// <summary>The seeds' "warmup then cosine": linear from 0 to the peak over the warmup, then a cosine to 0 by the last step.</summary>
    private sealed class WarmupThenCosine(double peak, long warmupSteps, long totalSteps) : LearningRateSchedule
    {
        public override float GetLearningRate(long step)
        {
            if (step < warmupSteps) return (float)(peak * (step + 1) / warmupSteps);
            double progress = Math.Min(1.0, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
            return (float)(peak * 0.5 * (1 + Math.Cos(Math.PI * progress)));
        }
    }

    [Fact]
    public void CustomSchedule_SubclassesLearningRateSchedule()
    {
        ILearningRateSchedule schedule = new WarmupThenCosine(1e-3, warmupSteps: 4, totalSteps: 104);
        Assert.Equal(2.5e-4f, schedule.GetLearningRate(0));
        Assert.Equal(1e-3f, schedule.GetLearningRate(3));
        Assert.Equal(1e-3f, schedule.GetLearningRate(4));
        Assert.Equal((float)(1e-3 * 0.5), schedule.GetLearningRate(54));
        Assert.Equal(0f, schedule.GetLearningRate(104));
    }

    // ---- Arguments ----

    public static TheoryData<Func<object>, string, string> BadArguments => new()
    {
        { () => new ExponentialDecay(0.1, 0, 0.5), "decaySteps", "0" },
        { () => new ExponentialDecay(-0.1, 10, 0.5), "initialLearningRate", "-0.1" },
        { () => new ExponentialDecay(double.NaN, 10, 0.5), "initialLearningRate", "NaN" },
        { () => new ExponentialDecay(0.1, 10, -0.5), "decayRate", "-0.5" },
        { () => new PolynomialDecay(0.1, -3), "decaySteps", "-3" },
        { () => new PolynomialDecay(0.1, 10, endLearningRate: -1), "endLearningRate", "-1" },
        { () => new PolynomialDecay(0.1, 10, power: -1), "power", "-1" },
        { () => new InverseTimeDecay(0.1, 0, 0.5), "decaySteps", "0" },
        { () => new InverseTimeDecay(0.1, 10, double.PositiveInfinity), "decayRate", "Infinity" },
        { () => new CosineDecay(0.1, 0), "decaySteps", "0" },
        { () => new CosineDecay(0.1, 10, alpha: 1.5), "alpha", "1.5" },
        { () => new CosineDecay(0.1, 10, warmupTarget: -1, warmupSteps: 5), "warmupTarget", "-1" },
        { () => new CosineDecay(0.1, 10, warmupTarget: 1, warmupSteps: -5), "warmupSteps", "-5" },
        { () => new CosineDecayRestarts(0.1, 0), "firstDecaySteps", "0" },
        { () => new CosineDecayRestarts(0.1, 10, tMul: 0.5), "tMul", "0.5" },
        { () => new CosineDecayRestarts(0.1, 10, mMul: -1), "mMul", "-1" },
        { () => new PiecewiseConstantDecay([10], [1f, -2f]), "values", "-2" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArguments_ThrowWithTheNameAndValue(Func<object> create, string paramName, string value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(paramName, e.ParamName);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void PiecewiseConstantDecay_RejectsMismatchedOrUnorderedBoundaries()
    {
        var e = Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([10, 20], [1f, 0.5f]));
        Assert.Equal("values", e.ParamName);
        Assert.Contains("got 2 values", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([20, 20], [1f, 0.5f, 0.1f]));
        Assert.Equal("boundaries", e.ParamName);
        Assert.Contains("boundaries[1] = 20", e.Message);
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([], [1f]));
    }

    [Fact]
    public void NegativeStep_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, 10).GetLearningRate(-1));
        Assert.Equal("step", e.ParamName);
    }
}
