using Gen;

namespace Gen.Samples.Classifier;

/// <summary>
/// The seeds' end-to-end classifier: each hidden block is normalised (BatchNormalization) and regularised
/// (Dropout), the output is ten logits, AdamW clips the global gradient norm at 1.
/// </summary>
[Model(InputShape = [784])]
[Dense(256, Activation.Relu)]
[BatchNormalization]
[Dropout(0.3)]
[Dense(128, Activation.Relu)]
[BatchNormalization]
[Dropout(0.2)]
[Dense(64, Activation.Relu)]
[Dense(10)]
[Loss(LossKind.SparseCategoricalCrossentropy, FromLogits = true)]
[AdamW(LearningRate = 1e-3, GlobalClipNorm = 1.0)]
[Metrics(MetricKind.SparseCategoricalAccuracy, MetricKind.SparseTopKCategoricalAccuracy, TopK = 3)]
public partial class RegularisedClassifier;
