using Gen;

namespace Gen.Samples.Mnist;

/// <summary>A multilayer perceptron for 28 × 28 digits: 784 → 128 relu → 10 softmax.</summary>
[Model(InputShape = [784])]
[Dense(128, Activation.Relu)]
[Dense(10, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Adam(LearningRate = 1e-3)]
[Metrics(MetricKind.SparseCategoricalAccuracy)]
public partial class MnistClassifier;
