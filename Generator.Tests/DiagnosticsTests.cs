using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Gen.Generator.Tests;

/// <summary>
/// Each invalid model gets its diagnostic, with its ID and severity, at the attribute (or class name) at
/// fault, with the offending values in the message; a model with an error gets no code.
/// </summary>
public sealed class DiagnosticsTests
{
    private const string SoftmaxOutput = "[Dense(3, Activation.Softmax)]";
    private const string Scce = "[Loss(LossKind.SparseCategoricalCrossentropy)]";
    private const string Valid = $"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam]";

    private static string Source(string attributes, string declaration = "public partial class Net;") =>
        $"using Gen;\n\nnamespace Tests;\n\n{attributes}\n{declaration}\n";

    /// <summary>Runs the generator and asserts it reports exactly one diagnostic, as described.</summary>
    private static GeneratorRun Expect(string source, string id, DiagnosticSeverity severity, string locatedStart, params string[] messageParts)
    {
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.StartsWith(locatedStart, GeneratorHarness.LocatedText(diagnostic, source), StringComparison.Ordinal);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string part in messageParts) Assert.Contains(part, message, StringComparison.Ordinal);
        if (severity == DiagnosticSeverity.Error) Assert.Empty(run.Sources);
        return run;
    }

    [Fact]
    public void ValidModelHasNoDiagnostics()
    {
        var run = GeneratorHarness.Run(Source(Valid));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void ClassNotPartialIsGen0001AtTheClassName()
    {
        string source = Source(Valid, "public class Net;");
        var run = Expect(source, "GEN0001", DiagnosticSeverity.Error, "Net", "'Net'", "partial");
        Assert.Equal("Net", GeneratorHarness.LocatedText(run.GeneratorDiagnostics[0], source));
    }

    [Fact]
    public void ContainingTypeNotPartialIsGen0001NamingIt()
    {
        string source = Source("", $"public class Outer\n{{\n    {Valid}\n    public partial class Net;\n}}");
        var run = Expect(source, "GEN0001", DiagnosticSeverity.Error, "Net", "'Net'", "'Outer'");
        Assert.Equal("Net", GeneratorHarness.LocatedText(run.GeneratorDiagnostics[0], source));
    }

    [Fact]
    public void NoLayersIsGen0002() =>
        Expect(Source($"[Model(InputShape = [4])] {Scce} [Adam]"),
            "GEN0002", DiagnosticSeverity.Error, "Model(InputShape = [4])", "'Net'", "no layers");

    [Fact]
    public void MissingInputShapeIsGen0003() =>
        Expect(Source($"[Model] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0003", DiagnosticSeverity.Error, "Model", "'Net'", "[]", "InputShape = [784]");

    [Fact]
    public void NonPositiveDimensionIsGen0003() =>
        Expect(Source($"[Model(InputShape = [-3])] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0003", DiagnosticSeverity.Error, "Model(InputShape = [-3])", "[-3]", "positive");

    [Fact]
    public void RankThreeInputShapeIsGen0003() =>
        Expect(Source($"[Model(InputShape = [28, 28, 1])] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0003", DiagnosticSeverity.Error, "Model(InputShape = [28, 28, 1])", "[28, 28, 1]", "[784]");

    [Fact]
    public void ADenseLayerOnRankTwoSamplesIsGen0007() =>
        Expect(Source($"[Model(InputShape = [28, 28])] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Dense(3", "a sequence (28, 28)", "flat samples");

    [Fact]
    public void ZeroUnitsIsGen0004AtThatLayer() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8)] [Dense(0)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0004", DiagnosticSeverity.Error, "Dense(0", "'dense_1'", "0 units");

    [Fact]
    public void SparseCrossentropyOnOneUnitIsGen0005() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(1)] {Scce} [Adam]"),
            "GEN0005", DiagnosticSeverity.Error, "Loss(LossKind.SparseCategoricalCrossentropy", "SparseCategoricalCrossentropy", "1 unit(s)", "at least 2");

    [Fact]
    public void BinaryCrossentropyOnMultiUnitSoftmaxIsGen0005() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} [Loss(LossKind.BinaryCrossentropy)] [Adam]"),
            "GEN0005", DiagnosticSeverity.Error, "Loss(LossKind.BinaryCrossentropy", "BinaryCrossentropy", "3 unit(s)", "Softmax");

    [Fact]
    public void CategoricalCrossentropyFromProbabilitiesOnLinearOutputIsGen0005() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(3)] [Loss(LossKind.CategoricalCrossentropy)] [Adam]"),
            "GEN0005", DiagnosticSeverity.Error, "Loss(LossKind.CategoricalCrossentropy", "CategoricalCrossentropy", "Linear", "FromLogits = true");

    [Fact]
    public void SoftmaxOutputWithFromLogitsIsWarningGen0006AndStillGeneratesCode()
    {
        var run = Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} [Loss(LossKind.SparseCategoricalCrossentropy, FromLogits = true)] [Adam]"),
            "GEN0006", DiagnosticSeverity.Warning, "Loss(LossKind.SparseCategoricalCrossentropy, FromLogits = true)", "softmax", "FromLogits = true");
        var (hintName, _) = Assert.Single(run.Sources);
        Assert.Equal("Tests.Net.g.cs", hintName);
    }

    [Fact]
    public void NegativeLearningRateIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam(LearningRate = -0.01)]"),
            "GEN0007", DiagnosticSeverity.Error, "Adam(LearningRate = -0.01)", "LearningRate is -0.01", ">= 0");

    [Fact]
    public void Beta1OfOneIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam(Beta1 = 1)]"),
            "GEN0007", DiagnosticSeverity.Error, "Adam(Beta1 = 1)", "Beta1 is 1", "[0, 1)");

    [Fact]
    public void LabelSmoothingAboveOneIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} [Loss(LossKind.CategoricalCrossentropy, LabelSmoothing = 1.5)] [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Loss(LossKind.CategoricalCrossentropy, LabelSmoothing = 1.5)", "LabelSmoothing is 1.5", "[0, 1]");

    [Fact]
    public void HuberDeltaZeroIsGen0007() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(1)] [Loss(LossKind.Huber, Delta = 0)] [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Loss(LossKind.Huber, Delta = 0)", "Delta is 0", "> 0");

    [Fact]
    public void LayersSpreadOverTwoPartialDeclarationsIsGen0008() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8, Activation.Relu)] public partial class Net;", $"{SoftmaxOutput} {Scce} [Adam] public partial class Net;"),
            "GEN0008", DiagnosticSeverity.Error, "Model(InputShape = [4])", "'Net'", "more than one partial declaration");

    [Fact]
    public void NoLossIsGen0009() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} [Adam]"),
            "GEN0009", DiagnosticSeverity.Error, "Model(InputShape = [4])", "'Net'", "[Loss(");

    [Fact]
    public void NoOptimizerIsGen0010() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce}"),
            "GEN0010", DiagnosticSeverity.Error, "Model(InputShape = [4])", "'Net'", "[Adam]");

    [Fact]
    public void TwoOptimizersIsGen0011AtTheSecond() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam] [Sgd(LearningRate = 0.1)]"),
            "GEN0011", DiagnosticSeverity.Error, "Sgd(LearningRate = 0.1)", "'Net'", "2 optimizers", "Adam, Sgd");

    [Fact]
    public void SparseAccuracyWithMeanSquaredErrorIsGen0012() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(1)] [Loss(LossKind.MeanSquaredError)] [Adam] [Metrics(MetricKind.SparseCategoricalAccuracy)]"),
            "GEN0012", DiagnosticSeverity.Error, "Metrics(MetricKind.SparseCategoricalAccuracy)", "SparseCategoricalAccuracy", "CategoricalAccuracy");

    [Fact]
    public void DuplicateMetricIsGen0013() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(1)] [Loss(LossKind.MeanSquaredError)] [Adam] [Metrics(MetricKind.MeanAbsoluteError, MetricKind.RootMeanSquaredError, MetricKind.MeanAbsoluteError)]"),
            "GEN0013", DiagnosticSeverity.Error, "Metrics(MetricKind.MeanAbsoluteError", "MeanAbsoluteError", "more than once");

    [Fact]
    public void ParameterCountAboveIntMaxValueIsGen0014AtTheLayerThatCrossesIt() =>
        Expect(Source("[Model(InputShape = [40000])] [Dense(40000)] [Dense(40000, Activation.Relu)] [Dense(1)] [Loss(LossKind.MeanSquaredError)] [Adam]"),
            "GEN0014", DiagnosticSeverity.Error, "Dense(40000, Activation.Relu)", "'Net'", "'dense_1'", "3,200,080,000 parameters", "120,000 activations", "2,147,483,647");

    [Fact]
    public void ActivationWidthAboveIntMaxValueIsGen0014() =>
        Expect(Source("[Model(InputShape = [1])] [Dense(int.MaxValue, Activation.Relu, UseBias = false)] [Loss(LossKind.MeanSquaredError)] [Adam]"),
            "GEN0014", DiagnosticSeverity.Error, "Dense(int.MaxValue", "2,147,483,647 parameters", "4,294,967,294 activations");

    [Fact]
    public void ModelAtIntMaxValueIsNotTooLarge()
    {
        var run = GeneratorHarness.Run(Source("[Model(InputShape = [1])] [Dense(int.MaxValue, UseBias = false)] [Loss(LossKind.MeanSquaredError)] [Adam]"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("private const int ParameterLength = 2147483647;", Assert.Single(run.Sources).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidModelDoesNotStopAValidOne()
    {
        var run = GeneratorHarness.Run(Source($"[Model(InputShape = [4])] [Dense(0)] {SoftmaxOutput} {Scce} [Adam] public partial class Broken;", $"{Valid} public partial class Net;"));

        Assert.Equal("GEN0004", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Equal("Tests.Net.g.cs", Assert.Single(run.Sources).HintName);
    }

    [Fact]
    public void TwoClippingOptionsAreGen0015NamingBoth() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam(ClipNorm = 1.0, GlobalClipNorm = 2.0)]"),
            "GEN0015", DiagnosticSeverity.Error, "Adam(ClipNorm", "ClipNorm", "GlobalClipNorm");

    [Fact]
    public void OneAccumulationStepIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Sgd(GradientAccumulationSteps = 1)]"),
            "GEN0007", DiagnosticSeverity.Error, "Sgd(", "GradientAccumulationSteps", "1", "at least 2");

    [Theory]
    [InlineData("Sgd(Momentum = 1.5)", "Momentum", "1.5")]
    [InlineData("RmsProp(Rho = 1.0)", "Rho", "1")]
    [InlineData("Adagrad(InitialAccumulatorValue = -0.1)", "InitialAccumulatorValue", "-0.1")]
    [InlineData("AdamW(WeightDecay = -1)", "WeightDecay", "-1")]
    [InlineData("Adam(EmaMomentum = 2, UseEma = true)", "EmaMomentum", "2")]
    [InlineData("RmsProp(ClipValue = -1)", "ClipValue", "-1")]
    public void AnOptimizerHyperparameterOutOfRangeIsGen0007(string optimizer, string name, string value) =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [{optimizer}]"),
            "GEN0007", DiagnosticSeverity.Error, optimizer.Split('(')[0] + "(", name, value);

    [Fact]
    public void ADuplicateLayerNameIsGen0016AtTheSecondLayer() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8, Name = \"hidden\")] [Dense(8, Name = \"hidden\")] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0016", DiagnosticSeverity.Error, "Dense(8, Name = \"hidden\")", "'hidden'");

    [Fact]
    public void AnAutomaticNameClashingWithAGivenOneIsGen0016() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8, Name = \"dense_1\")] [Dense(8)] [Dense(8)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0016", DiagnosticSeverity.Error, "Dense(8)", "'dense_1'");

    [Fact]
    public void SparseTopKWithOneHotTargetsIsGen0012() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} [Loss(LossKind.CategoricalCrossentropy)] [Adam] [Metrics(MetricKind.SparseTopKCategoricalAccuracy)]"),
            "GEN0012", DiagnosticSeverity.Error, "Metrics(", "SparseTopKCategoricalAccuracy");

    [Fact]
    public void LayersAreNamedAsKerasNamesThem()
    {
        string source = Source($"[Model(InputShape = [4])] [Dense(8)] [Dense(8, Name = \"bottleneck\")] [Dense(8)] {SoftmaxOutput} {Scce} [Adam]");
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        string code = Assert.Single(run.Sources).Text;
        Assert.Contains("\"dense/kernel\", \"dense/bias\", \"bottleneck/kernel\", \"bottleneck/bias\", \"dense_1/kernel\", \"dense_1/bias\", \"dense_2/kernel\"", code);
    }

    [Fact]
    public void ACustomMetricThatIsNoMetricIsGen0017() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam] [Metrics(Custom = [typeof(string)])]"),
            "GEN0017", DiagnosticSeverity.Error, "Metrics(Custom", "string", "Gen.Metric");

    [Fact]
    public void ACustomMetricWithoutParameterlessConstructorIsGen0017()
    {
        string source = Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam] [Metrics(Custom = [typeof(Needy)])]",
            "public partial class Net;\npublic sealed class Needy(int x) : Metric { public override string Name => \"n\"; public override void Update(System.ReadOnlySpan<float> p, System.ReadOnlySpan<float> t, System.ReadOnlySpan<float> w, int b) { } public override float Result() => x; public override void Reset() { } }");
        Expect(source, "GEN0017", DiagnosticSeverity.Error, "Metrics(Custom", "Needy", "parameterless");
    }

    [Fact]
    public void ADropoutRateOfOneIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8)] [Dropout(1.0)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Dropout(1.0)", "Rate", "1", "[0, 1)");

    [Fact]
    public void BatchNormalizationAndDropoutAsTheFirstLayersAreValid() =>
        Assert.Empty(GeneratorHarness.Run(Source($"[Model(InputShape = [4])] [BatchNormalization] [Dropout(0.2)] {SoftmaxOutput} {Scce} [Adam]")).GeneratorDiagnostics);

    [Fact]
    public void ANonPositiveBatchNormalizationEpsilonIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8)] [BatchNormalization(Epsilon = 0)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "BatchNormalization(Epsilon = 0)", "Epsilon", "> 0");

    [Fact]
    public void AnLstmOnFlatSamplesIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] [Lstm(8)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Lstm(8)", "'lstm'", "flat (4)", "InputShape = [timesteps, features]");

    [Fact]
    public void ADenseLayerOnSequencesIsGen0007() =>
        Expect(Source($"[Model(InputShape = [5, 4])] [Lstm(8, ReturnSequences = true)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Dense(3", "'dense'", "a sequence (5, 8)", "flat samples");

    [Fact]
    public void AModelEndingInASequenceIsGen0007() =>
        Expect(Source($"[Model(InputShape = [5, 4])] [Lstm(3, ReturnSequences = true)] [Loss(LossKind.MeanSquaredError)] [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Loss(LossKind.MeanSquaredError)", "'lstm'", "of shape (5, 3)", "flat predictions");

    private const string TwoOutputs = "[Output(\"a\", LossKind.MeanSquaredError)] [Output(\"b\", LossKind.MeanSquaredError)] [Adam]";

    [Fact]
    public void AFromNamingNoLayerIsGen0018ListingTheNames() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8, Name = \"trunk\")] [Dense(3, Activation.Softmax, From = \"trunc\")] {Scce} [Adam]"),
            "GEN0018", DiagnosticSeverity.Error, "Dense(3", "'dense'", "'trunc'", "\"input\", \"trunk\", \"dense\"");

    [Fact]
    public void AnOutputNamingNoLayerIsGen0018() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(2, Name = \"a\")] [Output(\"a\", LossKind.MeanSquaredError)] [Output(\"c\", LossKind.MeanSquaredError)] [Adam]"),
            "GEN0018", DiagnosticSeverity.Error, "Output(\"c\"", "[Output]", "'c'");

    [Fact]
    public void LayersReadingEachOtherAreGen0019() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(4, Name = \"a\", From = \"b\")] [Dense(4, Name = \"b\", From = \"a\")] [Dense(3, Activation.Softmax, From = \"b\")] {Scce} [Adam]"),
            "GEN0019", DiagnosticSeverity.Error, "Dense(4, Name = \"a\"", "'a', 'b', 'dense'", "cycle");

    [Fact]
    public void ALayerThatFeedsNothingIsGen0020() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8, Name = \"unused\")] [Dense(3, Activation.Softmax, From = \"input\")] {Scce} [Adam]"),
            "GEN0020", DiagnosticSeverity.Error, "Dense(8", "'unused'", "goes nowhere", "[Output(\"unused\"");

    [Fact]
    public void ASecondHeadWithoutALossIsGen0020() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(8, Name = \"trunk\")] [Dense(2, Name = \"a\")] [Dense(2, Name = \"b\", From = \"trunk\")] [Dense(1, Name = \"c\", From = \"trunk\")] " + TwoOutputs),
            "GEN0020", DiagnosticSeverity.Error, "Dense(1, Name = \"c\"", "'c'");

    [Fact]
    public void AddingDifferentShapesIsGen0021() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8, Name = \"a\")] [Dense(6, Name = \"b\", From = \"input\")] [Add(\"a\", \"b\")] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0021", DiagnosticSeverity.Error, "Add(", "'add'", "'a' (8) and 'b' (6)", "one shape");

    [Fact]
    public void ConcatenatingSequencesOfDifferentLengthsIsGen0021() =>
        Expect(Source($"[Model(InputShape = [12])] [Reshape(3, 4, Name = \"a\")] [Reshape(4, 3, Name = \"b\", From = \"input\")] [Concatenate(\"a\", \"b\")] [Flatten] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0021", DiagnosticSeverity.Error, "Concatenate(", "'a' (3, 4) and 'b' (4, 3)", "every axis but the last");

    [Fact]
    public void ConcatenatingOneLayerIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(8, Name = \"a\")] [Concatenate(\"a\")] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Concatenate(", "at least two");

    [Fact]
    public void ALossBesideOutputsIsGen0022() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(2, Name = \"a\")] [Dense(2, Name = \"b\", From = \"input\")] [Loss(LossKind.MeanSquaredError)] " + TwoOutputs),
            "GEN0022", DiagnosticSeverity.Error, "Loss(", "[Loss]", "[Output]");

    [Fact]
    public void AReshapeToAnotherSizeIsGen0007() =>
        Expect(Source($"[Model(InputShape = [12])] [Reshape(5, 2)] [Flatten] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Reshape(5, 2)", "(5, 2)", "the 12 values");

    [Fact]
    public void AReshapeInfersItsMinusOneDimension()
    {
        var run = GeneratorHarness.Run(Source($"[Model(InputShape = [12])] [Reshape(-1, 4)] [Lstm(5)] {SoftmaxOutput} {Scce} [Adam]"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("(B, 3, 4)", Assert.Single(run.Sources).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmbeddingAfterAnotherLayerIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(4)] [Embedding(10, 3)] [Flatten] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Embedding(10, 3)", "'embedding'", "the model's input");

    [Fact]
    public void TwoOutputsWithOneResultNameAreGen0007() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(2, Name = \"a_b\")] [Dense(2, Name = \"aB\", From = \"input\")] [Output(\"a_b\", LossKind.MeanSquaredError)] [Output(\"aB\", LossKind.MeanSquaredError)] [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Output(\"aB\"", "\"AB\"", "distinct C# identifier");

    [Fact]
    public void ALayerNamedInputIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] [Dense(3, Activation.Softmax, Name = \"input\")] {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Dense(3", "\"input\"", "names the model's input");

    [Fact]
    public void ATopKBelowOneIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam] [Metrics(MetricKind.SparseTopKCategoricalAccuracy, TopK = 0)]"),
            "GEN0007", DiagnosticSeverity.Error, "Metrics(", "TopK", "at least 1");

    [Fact]
    public void AnInputNoLayerReadsIsGen0023() =>
        Expect(Source($"[Model] [Input(\"a\", 4)] [Input(\"b\", 2)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0023", DiagnosticSeverity.Error, "Input(\"b\"", "'b'");

    [Fact]
    public void InputShapeBesideInputsIsGen0003() =>
        Expect(Source($"[Model(InputShape = [4])] [Input(\"a\", 4)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0003", DiagnosticSeverity.Error, "Model(InputShape", "not both");

    [Fact]
    public void TwoInputsOfOneNameAreGen0007() =>
        Expect(Source($"[Model] [Input(\"a\", 4)] [Input(\"a\", 2)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Input(\"a\", 2)", "no other input");

    [Fact]
    public void AFromNamingNoInputListsTheInputs() =>
        Expect(Source($"[Model] [Input(\"text\", 4)] [Input(\"meta\", 2)] [Dense(3, Activation.Softmax, From = \"tex\")] {Scce} [Adam]"),
            "GEN0018", DiagnosticSeverity.Error, "Dense(3", "'tex'", "\"text\", \"meta\", \"dense\"");

    [Fact]
    public void AnOutputNamedLikeAnotherOutputsResultTypeIsGen0007() =>
        Expect(Source("[Model(InputShape = [4])] [Dense(2, Name = \"price_result\")] [Dense(2, Name = \"price\", From = \"input\")] [Output(\"price_result\", LossKind.MeanSquaredError)] [Output(\"price\", LossKind.MeanSquaredError)] [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Output(\"price\"", "'price'", "distinct C# identifier");

    [Fact]
    public void AnInputNamedJoinIsGen0007() =>
        Expect(Source($"[Model] [Input(\"join\", 4)] [Input(\"b\", 4)] [Concatenate(\"join\", \"b\")] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "Input(\"join\"", "'join'", "Join");

    [Fact]
    public void ANaNThresholdIsGen0007() =>
        Expect(Source($"[Model(InputShape = [4])] {SoftmaxOutput} {Scce} [Adam] [Metrics(MetricKind.SparseCategoricalAccuracy, Threshold = double.NaN)]"),
            "GEN0007", DiagnosticSeverity.Error, "Metrics(", "Threshold", "finite");

    [Fact]
    public void AMaskReachingBatchNormalizationIsGen0007() =>
        Expect(Source($"[Model(InputShape = [6])] [Embedding(10, 4, MaskZero = true)] [BatchNormalization] [Lstm(3)] {SoftmaxOutput} {Scce} [Adam]"),
            "GEN0007", DiagnosticSeverity.Error, "BatchNormalization", "masked by 'embedding'", "does not take one yet");

    [Fact]
    public void AMaskDroppedByFlattenIsValid() =>
        Assert.Empty(GeneratorHarness.Run(Source($"[Model(InputShape = [6])] [Embedding(10, 4, MaskZero = true)] [Flatten] {SoftmaxOutput} {Scce} [Adam]")).GeneratorDiagnostics);
}
