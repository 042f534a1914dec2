namespace Gen.Runtime.Tests;

/// <summary>
/// The optimizers against float64 re-implementations of Keras's update equations (spec §2), written here from the
/// equations and sharing no code with the runtime.
/// </summary>
public sealed class OptimizerTests
{
    private const int Parameters = 37, Steps = 60, LearningRateChangeStep = 30;

    /// <summary>Keras's SGD in float64: m ← μm − ηg; w ← w + m, or w ← w + μm − ηg (Nesterov); w ← w − ηg without momentum.</summary>
    private sealed class ReferenceSgd(double momentum, bool nesterov)
    {
        private double[]? _m;

        public void Step(double[] w, double[] g, double eta)
        {
            _m ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                if (momentum == 0)
                {
                    w[i] -= eta * g[i];
                    continue;
                }
                _m[i] = momentum * _m[i] - eta * g[i];
                w[i] += nesterov ? momentum * _m[i] - eta * g[i] : _m[i];
            }
        }
    }

    /// <summary>
    /// Keras's Adam in float64: α = η√(1 − β₂ᵗ)/(1 − β₁ᵗ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
    /// amsgrad: v̂ ← max(v̂, v); w ← w − α·m/(√v + ε).
    /// </summary>
    private sealed class ReferenceAdam(double beta1, double beta2, double epsilon, bool amsgrad)
    {
        private double[]? _m, _v, _vHat;
        private int _t;

        public void Step(double[] w, double[] g, double eta)
        {
            _m ??= new double[w.Length];
            _v ??= new double[w.Length];
            _vHat ??= new double[w.Length];
            _t++;
            double alpha = eta * Math.Sqrt(1 - Math.Pow(beta2, _t)) / (1 - Math.Pow(beta1, _t));
            for (int i = 0; i < w.Length; i++)
            {
                _m[i] = beta1 * _m[i] + (1 - beta1) * g[i];
                _v[i] = beta2 * _v[i] + (1 - beta2) * g[i] * g[i];
                _vHat[i] = Math.Max(_vHat[i], _v[i]);
                double v = amsgrad ? _vHat[i] : _v[i];
                w[i] -= alpha * _m[i] / (Math.Sqrt(v) + epsilon);
            }
        }
    }

    [Theory]
    [InlineData(0.0f, false)]
    [InlineData(0.9f, false)]
    [InlineData(0.9f, true)]
    [InlineData(0.5f, true)]
    public void Sgd_MatchesKerasEquations_AcrossLearningRateChange(float momentum, bool nesterov)
    {
        var optimizer = new Sgd(learningRate: 0.05f, momentum: momentum, nesterov: nesterov);
        var reference = new ReferenceSgd(momentum, nesterov);

        var (actual, expected) = Train(optimizer.Apply, reference.Step, lr => optimizer.LearningRate = lr, initialLr: 0.05f, changedLr: 0.2f, GradientScale);

        AssertClose(expected, actual, relative: 1e-5);
        Assert.Equal(Steps, optimizer.Iterations);
    }

    [Fact]
    public void SgdMomentum_AfterLearningRateChange_KeepsOldLearningRateInVelocity()
    {
        // Step 1 at η = 0.1 with g = 1: m = −0.1, w = −0.1. Step 2 at η = 1 with g = 0: m = 0.9·(−0.1) = −0.09, w = −0.19.
        // A velocity without η (PyTorch's buf = μ·buf + g; w −= η·buf) would give −0.1 − 0.9 = −1.0.
        var optimizer = new Sgd(learningRate: 0.1f, momentum: 0.9f);
        float[] w = [0f];

        optimizer.Apply(w, [1f]);
        optimizer.LearningRate = 1f;
        optimizer.Apply(w, [0f]);

        Assert.Equal(-0.19f, w[0], 1e-6f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adam_MatchesKerasEquations_AcrossLearningRateChange(bool amsgrad)
    {
        const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-7f;
        var optimizer = new Adam(learningRate: 0.01f, beta1: Beta1, beta2: Beta2, epsilon: Epsilon, amsgrad: amsgrad);
        // Keras holds the betas and epsilon as float32; the reference uses those same values in float64.
        var reference = new ReferenceAdam(Beta1, Beta2, Epsilon, amsgrad);

        var (actual, expected) = Train(optimizer.Apply, reference.Step, lr => optimizer.LearningRate = lr, initialLr: 0.01f, changedLr: 0.003f, GradientScale);

        AssertClose(expected, actual, relative: 1e-5);
        Assert.Equal(Steps, optimizer.Iterations);
    }

    [Fact]
    public void AdamAmsgrad_DiffersFromAdam_WhenGradientsShrink()
    {
        // The gradient scale drops after step 10, so v falls below its running maximum and amsgrad takes smaller steps.
        // The gap must be well above the 1e-5 tolerance of the reference comparison, or that test could not tell them apart.
        var plain = new Adam(learningRate: 0.01f);
        var amsgrad = new Adam(learningRate: 0.01f, amsgrad: true);

        var (plainWeights, _) = Train(plain.Apply, static (_, _, _) => { }, _ => { }, 0.01f, 0.01f, GradientScale);
        var (amsgradWeights, _) = Train(amsgrad.Apply, static (_, _, _) => { }, _ => { }, 0.01f, 0.01f, GradientScale);

        double largest = 0;
        for (int i = 0; i < Parameters; i++) largest = Math.Max(largest, Math.Abs(plainWeights[i] - amsgradWeights[i]));
        Assert.True(largest > 1e-4, $"amsgrad changed the weights by at most {largest}");
    }

    [Fact]
    public void Adam_AddsEpsilonToUncorrectedRootOfV_AsKerasDoes()
    {
        // One step from w = 0 with g = 1, η = 1, ε = 2: m = 1 − β₁, v = 1 − β₂, α = √(1 − β₂)/(1 − β₁), so
        // Keras: w = −α·m/(√v + ε) = −√(1 − β₂)/(√(1 − β₂) + 2) = −0.0155652.
        // PyTorch adds ε to the bias-corrected √v̂ = 1 instead: w = −1/(1 + 2) = −0.3333.
        var optimizer = new Adam(learningRate: 1f, beta1: 0.9f, beta2: 0.999f, epsilon: 2f);
        float[] w = [0f];

        optimizer.Apply(w, [1f]);

        Assert.Equal(-0.0155652, w[0], 1e-6);
        Assert.True(Math.Abs(w[0] - (-1.0 / 3)) > 0.3);
    }

    [Fact]
    public void Adam_FirstStepMovesEachWeightByLearningRate_WhenEpsilonIsNegligible()
    {
        // With ε → 0, the first Adam step is −η·sign(g) whatever the gradient's magnitude.
        var optimizer = new Adam(learningRate: 0.01f, epsilon: 0f);
        float[] w = [1f, 1f, 1f];

        optimizer.Apply(w, [1e-3f, -5f, 250f]);

        Assert.Equal(0.99f, w[0], 1e-6f);
        Assert.Equal(1.01f, w[1], 1e-6f);
        Assert.Equal(0.99f, w[2], 1e-6f);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Constructors_RejectInvalidLearningRate_NamingTheParameter(float learningRate)
    {
        var sgd = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(learningRate));
        var adam = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate));

        Assert.Equal("learningRate", sgd.ParamName);
        Assert.Equal("learningRate", adam.ParamName);
    }

    [Fact]
    public void LearningRateSetter_RejectsNegativeValue_AndKeepsTheOldOne()
    {
        var optimizer = new Sgd(0.1f);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1f);

        Assert.Equal("value", error.ParamName);
        Assert.Equal(0.1f, optimizer.LearningRate);
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1.01f)]
    [InlineData(float.NaN)]
    public void Sgd_RejectsMomentumOutsideZeroToOne_NamingTheParameter(float momentum)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(momentum: momentum));

        Assert.Equal("momentum", error.ParamName);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    public void Sgd_AcceptsMomentumAtTheEndsOfZeroToOne(float momentum)
    {
        var optimizer = new Sgd(momentum: momentum);

        Assert.Equal(momentum, optimizer.Momentum);
    }

    [Theory]
    [InlineData(1f, 0.999f, "beta1")]
    [InlineData(-0.1f, 0.999f, "beta1")]
    [InlineData(0.9f, 1f, "beta2")]
    [InlineData(0.9f, -0.5f, "beta2")]
    [InlineData(float.NaN, 0.999f, "beta1")]
    public void Adam_RejectsBetaOutsideZeroToOne_NamingTheParameter(float beta1, float beta2, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: beta1, beta2: beta2));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Adam_RejectsNegativeEpsilon_NamingTheParameter()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: -1e-7f));

        Assert.Equal("epsilon", error.ParamName);
    }

    [Fact]
    public void Apply_RejectsGradientsOfWrongLength_NamingTheParameter()
    {
        var optimizer = new Adam();

        var error = Assert.Throws<ArgumentException>(() => optimizer.Apply(new float[4], new float[3]));

        Assert.Equal("gradients", error.ParamName);
        Assert.Equal(0, optimizer.Iterations);
    }

    [Fact]
    public void Apply_AfterFirstCall_RejectsBufferOfAnotherLength_NamingTheParameter()
    {
        var optimizer = new Sgd(momentum: 0.9f);
        optimizer.Apply(new float[4], new float[4]);

        var error = Assert.Throws<ArgumentException>(() => optimizer.Apply(new float[5], new float[5]));

        Assert.Equal("parameters", error.ParamName);
        Assert.Equal(1, optimizer.Iterations);
    }

    /// <summary>Gradients of scale 1 for ten steps, then 0.05: varied enough that amsgrad's maximum matters.</summary>
    private static double GradientScale(int step) => step < 10 ? 1.0 : 0.05;

    /// <summary>
    /// Runs <see cref="Steps"/> steps of the runtime optimizer (float32) and the reference (float64) from the same
    /// weights with the same random gradients, switching the learning rate before step <see cref="LearningRateChangeStep"/>.
    /// </summary>
    private static (float[] Actual, double[] Expected) Train(
        SpanApply apply, Action<double[], double[], double> referenceStep, Action<float> setLearningRate,
        float initialLr, float changedLr, Func<int, double> gradientScale)
    {
        var random = new Random(12345);
        var actual = new float[Parameters];
        for (int i = 0; i < Parameters; i++) actual[i] = (float)(random.NextDouble() * 2 - 1);
        var expected = Array.ConvertAll(actual, x => (double)x);
        var gradient = new float[Parameters];
        var gradient64 = new double[Parameters];
        float lr = initialLr;
        for (int step = 0; step < Steps; step++)
        {
            if (step == LearningRateChangeStep)
            {
                lr = changedLr;
                setLearningRate(lr);
            }
            for (int i = 0; i < Parameters; i++)
            {
                gradient[i] = (float)((random.NextDouble() * 2 - 1) * gradientScale(step));
                gradient64[i] = gradient[i];
            }
            apply(actual, gradient);
            referenceStep(expected, gradient64, lr);
        }
        return (actual, expected);
    }

    private delegate void SpanApply(Span<float> parameters, ReadOnlySpan<float> gradients);

    private static void AssertClose(double[] expected, float[] actual, double relative)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= relative * Math.Max(1.0, Math.Abs(expected[i])), $"parameter {i}: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2})");
        }
    }
}
