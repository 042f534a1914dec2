using Gen;

namespace Gen.Samples.GradientAccumulation;

/// <summary>
/// 4 features → 32 relu → 3 softmax with Adam, accumulating gradients: each call of the optimizer adds the batch's
/// gradient to a buffer, and every 4th call updates with the mean of the 4. Batches of 8 then train like batches of 32.
/// </summary>
[Model(InputShape = [4])]
[Dense(32, Activation.Relu)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Adam(LearningRate = 0.01, GradientAccumulationSteps = 4)]
[Metrics(MetricKind.SparseCategoricalAccuracy)]
public partial class AccumulatingClassifier;

/// <summary>The same network and optimizer, updating on every call.</summary>
[Model(InputShape = [4])]
[Dense(32, Activation.Relu)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Adam(LearningRate = 0.01)]
[Metrics(MetricKind.SparseCategoricalAccuracy)]
public partial class Classifier;
