using Gen;

namespace Gen.Samples.Clipping;

// Four copies of the regression network of Samples/Regression (10 → 64 relu → 32 relu → 1, plain SGD) that
// differ only in how the optimizer clips each gradient before the update:

/// <summary>No clipping: an outlier's gradient goes into the weights whole.</summary>
[Model(InputShape = [10]), Dense(64, Activation.Relu), Dense(32, Activation.Relu), Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd(LearningRate = 0.01)]
public partial class Unclipped;

/// <summary>ClipValue: every gradient element is clipped to [−0.5, 0.5] on its own (the direction changes).</summary>
[Model(InputShape = [10]), Dense(64, Activation.Relu), Dense(32, Activation.Relu), Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd(LearningRate = 0.01, ClipValue = 0.5)]
public partial class ValueClipped;

/// <summary>ClipNorm: each tensor (a kernel, a bias) is scaled down on its own to an L2 norm of at most 5.</summary>
[Model(InputShape = [10]), Dense(64, Activation.Relu), Dense(32, Activation.Relu), Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd(LearningRate = 0.01, ClipNorm = 5)]
public partial class NormClipped;

/// <summary>GlobalClipNorm: all tensors are scaled by one factor so that together their L2 norm is at most 5.</summary>
[Model(InputShape = [10]), Dense(64, Activation.Relu), Dense(32, Activation.Relu), Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Sgd(LearningRate = 0.01, GlobalClipNorm = 5)]
public partial class GlobalNormClipped;
