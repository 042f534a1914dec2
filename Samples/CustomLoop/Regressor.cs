using Gen;

namespace Gen.Samples.CustomLoop;

/// <summary>
/// The regression network of Samples/Regression, 10 → 64 relu → 32 relu → 1, with plain SGD: an update is
/// exactly w ← w − η·g, so the size of a step divided by the size of the gradient is the learning rate used.
/// </summary>
[Model(InputShape = [10])]
[Dense(64, Activation.Relu)]
[Dense(32, Activation.Relu)]
[Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd(LearningRate = 0.01)]
public partial class Regressor;
