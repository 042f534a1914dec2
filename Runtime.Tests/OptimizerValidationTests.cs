using static Gen.Runtime.Tests.OptimizerHarness;

namespace Gen.Runtime.Tests;

/// <summary>Invalid configurations fail as Keras's do, naming the argument; the tensor layout's contract; no allocation per step.</summary>
public sealed class OptimizerValidationTests
{
    [Theory]
    [InlineData("ClipNorm+ClipValue", "ClipValue")]
    [InlineData("ClipNorm+GlobalClipNorm", "GlobalClipNorm")]
    [InlineData("ClipValue+GlobalClipNorm", "GlobalClipNorm")]
    [InlineData("GlobalClipNorm+ClipNorm", "ClipNorm")]
    public void TwoClipOptions_AreRejected_EvenWhenOneIsOff(string options, string parameter)
    {
        // Keras counts every clip argument that is not None, so a second one set to 0 (off) is still an error.
        Func<Optimizer> create = options switch
        {
            "ClipNorm+ClipValue" => () => new Sgd { ClipNorm = 1f, ClipValue = 0f },
            "ClipNorm+GlobalClipNorm" => () => new Sgd { ClipNorm = 1f, GlobalClipNorm = 1f },
            "ClipValue+GlobalClipNorm" => () => new Adam { ClipValue = 1f, GlobalClipNorm = 2f },
            _ => () => new RmsProp { GlobalClipNorm = 1f, ClipNorm = 1f },
        };

        var error = Assert.Throws<ArgumentException>(create);

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains("Only one of", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ClipThreshold_MustBeFinite(float value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd { ClipNorm = value });

        Assert.Equal("ClipNorm", error.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void GradientAccumulationSteps_BelowTwo_AreRejected(int steps)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad { GradientAccumulationSteps = steps });

        Assert.Equal("GradientAccumulationSteps", error.ParamName);
        Assert.Equal(steps, error.ActualValue);
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void WeightDecay_NegativeOrNotFinite_IsRejected(float decay)
    {
        var onBase = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd { WeightDecay = decay });
        var onAdamW = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: decay));

        Assert.Equal("WeightDecay", onBase.ParamName);
        Assert.Equal("weightDecay", onAdamW.ParamName);
    }

    [Fact]
    public void AdamW_WithoutWeightDecay_IsRejected()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new AdamW { WeightDecay = null });

        Assert.Equal("WeightDecay", error.ParamName);
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1.01f)]
    [InlineData(float.NaN)]
    public void RmsPropMomentum_OutsideZeroToOne_IsRejected(float momentum)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(momentum: momentum));

        Assert.Equal("momentum", error.ParamName);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void RmsPropRho_OutsideZeroToOneExclusive_IsRejected(float rho)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(rho: rho));

        Assert.Equal("rho", error.ParamName);
        Assert.Equal(rho, error.ActualValue);
    }

    [Fact]
    public void Epsilons_AndAdagradInitialAccumulator_MustNotBeNegative()
    {
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(epsilon: -1f)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(epsilon: -1f)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(epsilon: -1f)).ParamName);
        Assert.Equal("initialAccumulatorValue", Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(initialAccumulatorValue: -0.1f)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(beta1: 1f)).ParamName);
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1.01f)]
    [InlineData(float.NaN)]
    public void EmaMomentum_OutsideZeroToOne_IsRejected(float momentum)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { UseEma = true, EmaMomentum = momentum });

        Assert.Equal("EmaMomentum", error.ParamName);
    }

    [Fact]
    public void EmaOverwriteFrequency_BelowOne_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { UseEma = true, EmaOverwriteFrequency = 0 });

        Assert.Equal("EmaOverwriteFrequency", error.ParamName);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-2f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void LossScaleFactor_MustBePositiveAndFinite(float scale)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd { LossScaleFactor = scale });

        Assert.Equal("LossScaleFactor", error.ParamName);
    }

    [Fact]
    public void LearningRate_CannotBeSet_WhileAScheduleIsActive()
    {
        var optimizer = new Adagrad { Schedule = new ConstantSchedule(0.2f) };

        Assert.Throws<InvalidOperationException>(() => optimizer.LearningRate = 0.1f);
        Assert.Equal(0.2f, optimizer.LearningRate);
    }

    private sealed class ConstantSchedule(float rate) : ILearningRateSchedule
    {
        public float GetLearningRate(long step) => rate;
    }

    // ---- Tensor layout ----

    [Fact]
    public void DefineTensors_AndExcludeFromWeightDecay_AfterTheFirstApply_Throw()
    {
        var optimizer = new Sgd();
        optimizer.Apply(new float[3], new float[3]);

        Assert.Throws<InvalidOperationException>(() => optimizer.DefineTensors([3], ["dense/kernel"]));
        Assert.Throws<InvalidOperationException>(() => optimizer.ExcludeFromWeightDecay("bias"));
    }

    [Fact]
    public void Apply_RejectsABufferThatIsNotTheSumOfTheTensors_NamingTheParameter()
    {
        var optimizer = new Adam();
        optimizer.DefineTensors([2, 2], ["a", "b"]);

        var error = Assert.Throws<ArgumentException>(() => optimizer.Apply(new float[5], new float[5]));

        Assert.Equal("parameters", error.ParamName);
        Assert.Equal(0, optimizer.Iterations);
    }

    [Fact]
    public void DefineTensors_RejectsMismatchedNamesAndNegativeLengths()
    {
        var optimizer = new Sgd();

        Assert.Equal("names", Assert.Throws<ArgumentException>(() => optimizer.DefineTensors([1, 2], ["a"])).ParamName);
        Assert.Equal("lengths", Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.DefineTensors([1, -2], ["a", "b"])).ParamName);
    }

    [Fact]
    public void ExcludeFromWeightDecay_WithoutTensorNames_FailsAtTheFirstApply()
    {
        var optimizer = new Sgd { WeightDecay = 0.1f };
        optimizer.ExcludeFromWeightDecay("bias");

        Assert.Throws<InvalidOperationException>(() => optimizer.Apply(new float[2], new float[2]));
    }

    [Fact]
    public void ExcludeFromWeightDecay_MatchesByRegexSearch()
    {
        // "^dense/" excludes both dense tensors; output/kernel still decays (g = 0, λη = 0.5).
        var optimizer = new Sgd(learningRate: 1f) { WeightDecay = 0.5f };
        optimizer.DefineTensors([1, 1, 1], ["dense/kernel", "dense/bias", "output/kernel"]);
        optimizer.ExcludeFromWeightDecay("^dense/");
        float[] w = [1f, 1f, 1f];

        optimizer.Apply(w, new float[3]);

        Assert.Equal([1f, 1f, 0.5f], w);
    }

    // ---- Allocation ----

    [Theory]
    [MemberData(nameof(OptimizerCatalogueTests.AllKinds), MemberType = typeof(OptimizerCatalogueTests))]
    public void Apply_WithEveryOption_AllocatesNothingAfterTheFirstCall(OptimizerKind kind)
    {
        var options = new OptimizerOptions(WeightDecay: 0.01f, ExcludeBias: true, ClipNorm: 1f, AccumulationSteps: 2,
            UseEma: true, EmaOverwriteFrequency: 3, LossScaleFactor: 128f);
        var (optimizer, _, lr) = Create(kind, options);
        optimizer.Schedule = new ConstantSchedule(lr);
        var w = new float[Parameters];
        var g = new float[Parameters];
        Gradients(new Random(7), g, 128f);
        for (int i = 0; i < 50; i++) optimizer.Apply(w, g);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) optimizer.Apply(w, g);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
