using Gen;

namespace Gen.Samples.Lstm;

/// <summary>
/// The seeds' LSTM classifier: sequences of 50 steps of 10 features, an LSTM of 64 units that returns every
/// step, an LSTM of 32 that returns its last state, and one sigmoid unit; Adam with the global norm clipped at 1.
/// </summary>
[Model(InputShape = [50, 10])]
[Lstm(64, ReturnSequences = true)]
[Lstm(32)]
[Dense(1, Activation.Sigmoid)]
[Loss(LossKind.BinaryCrossentropy)]
[Adam(LearningRate = 1e-3, GlobalClipNorm = 1.0)]
[Metrics(MetricKind.BinaryAccuracy, MetricKind.Auc)]
public partial class SequenceClassifier;
