using Gen;

namespace Gen.Samples.Callbacks;

/// <summary>
/// A binary classifier much larger than its 2-feature problem needs: 2 → 64 relu → 64 relu → 1 sigmoid. On a
/// small, noisy training set it soon fits the noise, so its validation loss stops improving.
/// </summary>
[Model(InputShape = [2])]
[Dense(64, Activation.Relu)]
[Dense(64, Activation.Relu)]
[Dense(1, Activation.Sigmoid)]
[Loss(LossKind.BinaryCrossentropy)]
[Adam(LearningRate = 0.01)]
[Metrics(MetricKind.BinaryAccuracy)]
public partial class Classifier;
