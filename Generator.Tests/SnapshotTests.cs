namespace Gen.Generator.Tests;

/// <summary>
/// The whole generated file for each sample model, compared exactly to a reviewed golden file; each sample
/// also has to compile cleanly against the runtime.
/// </summary>
public sealed class SnapshotTests
{
    public const string Regressor = """
        using Gen;

        namespace Samples.Regression;

        [Model(InputShape = [10])]
        [Dense(64, Activation.Relu)]
        [Dense(32, Activation.Relu)]
        [Dense(1)]
        [Loss(LossKind.MeanSquaredError)]
        [Adam(LearningRate = 1e-3)]
        [Metrics(MetricKind.MeanAbsoluteError)]
        public partial class Regressor;
        """;

    public const string MnistClassifier = """
        using Gen;

        namespace Samples.Mnist;

        [Model(InputShape = [784])]
        [Dense(128, Activation.Relu)]
        [Dense(10, Activation.Softmax)]
        [Loss(LossKind.SparseCategoricalCrossentropy)]
        [Adam]
        [Metrics(MetricKind.SparseCategoricalAccuracy)]
        public partial class MnistClassifier;
        """;

    /// <summary>
    /// Everything the two samples above do not use: a containing type, a layer without bias, a linear hidden
    /// layer, a one-unit logit output with binary cross-entropy, SGD, a sum reduction and several metrics.
    /// </summary>
    public const string AnomalyDetector = """
        using Gen;

        namespace Samples.Mixed;

        public partial class Detectors
        {
            [Model(InputShape = [8])]
            [Dense(16, Activation.Tanh, UseBias = false)]
            [Dense(4, Name = "bottleneck")]
            [Dense(1)]
            [Loss(LossKind.BinaryCrossentropy, FromLogits = true, Reduction = Reduction.Sum)]
            [Sgd(LearningRate = 0.05)]
            [Metrics(MetricKind.BinaryAccuracy, MetricKind.MeanSquaredError, MetricKind.RootMeanSquaredError)]
            internal partial class AnomalyDetector;
        }
        """;

    /// <summary>The seeds' normalised and regularised classifier: BatchNormalization and Dropout in a chain.</summary>
    public const string RegularisedClassifier = """
        using Gen;

        namespace Samples.Classifier;

        [Model(InputShape = [784])]
        [Dense(256, Activation.Relu)]
        [BatchNormalization]
        [Dropout(0.3)]
        [Dense(128, Activation.Relu)]
        [BatchNormalization(Center = false)]
        [Dropout(0.2)]
        [Dense(64, Activation.Relu)]
        [Dense(10)]
        [Loss(LossKind.SparseCategoricalCrossentropy, FromLogits = true)]
        [AdamW(LearningRate = 1e-3, GlobalClipNorm = 1.0)]
        [Metrics(MetricKind.SparseCategoricalAccuracy, MetricKind.SparseTopKCategoricalAccuracy, TopK = 3)]
        public partial class RegularisedClassifier;
        """;

    /// <summary>The seeds' LSTM classifier: stacked LSTMs over (timesteps, features) samples.</summary>
    public const string SequenceClassifier = """
        using Gen;

        namespace Samples.Lstm;

        [Model(InputShape = [50, 10])]
        [Lstm(64, ReturnSequences = true)]
        [Lstm(32)]
        [Dense(1, Activation.Sigmoid)]
        [Loss(LossKind.BinaryCrossentropy)]
        [Adam(GlobalClipNorm = 1.0)]
        [Metrics(MetricKind.BinaryAccuracy)]
        public partial class SequenceClassifier;
        """;

    /// <summary>The seeds' price and category model: a shared trunk and two heads with their own losses, weights and metrics.</summary>
    public const string PriceAndCategory = """
        using Gen;

        namespace Samples.MultiOutput;

        [Model(InputShape = [10])]
        [Dense(64, Activation.Relu, Name = "shared")]
        [Dense(1, Name = "price", From = "shared")]
        [Dense(3, Activation.Softmax, Name = "category", From = "shared")]
        [Output("price", LossKind.MeanSquaredError, Weight = 1.0, Metrics = [MetricKind.MeanAbsoluteError])]
        [Output("category", LossKind.SparseCategoricalCrossentropy, Weight = 0.5, Metrics = [MetricKind.SparseCategoricalAccuracy])]
        [Adam]
        public partial class PriceAndCategory;
        """;

    /// <summary>Every other graph layer: Embedding, Reshape, Flatten, Activation, an Add and a Concatenate that join, a branch read twice.</summary>
    public const string TextGraph = """
        using Gen;

        namespace Samples.Graphs;

        [Model(InputShape = [6])]
        [Embedding(50, 4)]
        [Flatten(Name = "tokens")]
        [Dense(8, Activation.Relu, Name = "left")]
        [Dense(8, Name = "right", From = "tokens")]
        [Add("left", "right")]
        [Activation(Activation.Tanh)]
        [Concatenate("activation", "left")]
        [Reshape(4, 4)]
        [Gru(3)]
        [BatchNormalization]
        [Dense(2, Activation.Softmax)]
        [Loss(LossKind.CategoricalCrossentropy)]
        [Sgd(Momentum = 0.9)]
        [Metrics(MetricKind.CategoricalAccuracy)]
        public partial class TextGraph;
        """;

    /// <summary>Two named inputs and two outputs: the typed Features, Targets, Predictions and results together.</summary>
    public const string ReviewScorer = """
        using Gen;

        namespace Samples.Graphs;

        [Model]
        [Input("review", 30)]
        [Input("stars", 1)]
        [Embedding(1000, 8, From = "review", MaskZero = true)]
        [Lstm(16)]
        [Concatenate("lstm", "stars")]
        [Dense(16, Activation.Relu, Name = "joined")]
        [Dense(1, Activation.Sigmoid, Name = "helpful")]
        [Dense(5, Name = "topic", From = "joined")]
        [Output("helpful", LossKind.BinaryCrossentropy, Metrics = [MetricKind.Auc])]
        [Output("topic", LossKind.SparseCategoricalCrossentropy, FromLogits = true, Weight = 0.3)]
        [Adam]
        public partial class ReviewScorer;
        """;

    [Theory]
    [InlineData(nameof(ReviewScorer), ReviewScorer, "Samples.Graphs.ReviewScorer.g.cs")]
    [InlineData(nameof(PriceAndCategory), PriceAndCategory, "Samples.MultiOutput.PriceAndCategory.g.cs")]
    [InlineData(nameof(TextGraph), TextGraph, "Samples.Graphs.TextGraph.g.cs")]
    [InlineData(nameof(SequenceClassifier), SequenceClassifier, "Samples.Lstm.SequenceClassifier.g.cs")]
    [InlineData(nameof(RegularisedClassifier), RegularisedClassifier, "Samples.Classifier.RegularisedClassifier.g.cs")]
    [InlineData(nameof(Regressor), Regressor, "Samples.Regression.Regressor.g.cs")]
    [InlineData(nameof(MnistClassifier), MnistClassifier, "Samples.Mnist.MnistClassifier.g.cs")]
    [InlineData(nameof(AnomalyDetector), AnomalyDetector, "Samples.Mixed.Detectors.AnomalyDetector.g.cs")]
    public void GeneratedModelMatchesSnapshotAndCompiles(string name, string source, string hintName)
    {
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        var (hint, text) = Assert.Single(run.Sources);
        Assert.Equal(hintName, hint);
        Snapshot.Verify(name, text);
        Assert.Empty(run.CompilationDiagnostics);
    }
}
