using Gen;

namespace Gen.Generator.Tests.Numerics;

// Small models whose every gradient is checked against float64 central differences. Together their
// hidden and output layers use every activation, and their losses every loss kind and option.

[Model(InputShape = [5])]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Gelu, UseBias = false)]
[Dense(2)]
[Loss(LossKind.MeanSquaredError)]
[Sgd]
internal partial class TanhGeluMse;

[Model(InputShape = [4])]
[Dense(5, Activation.Relu)]
[Dense(4, Activation.Elu)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy)]
[Adam]
internal partial class ReluEluSoftmaxSparse;

[Model(InputShape = [3])]
[Dense(4, Activation.Selu)]
[Dense(4, Activation.Softplus)]
[Dense(3)]
[Loss(LossKind.CategoricalCrossentropy, FromLogits = true, LabelSmoothing = 0.1)]
[Adam]
internal partial class SeluSoftplusCategoricalLogits;

[Model(InputShape = [4])]
[Dense(3, Activation.Swish)]
[Dense(5, Activation.LeakyRelu)]
[Dense(2, Activation.Sigmoid)]
[Loss(LossKind.BinaryCrossentropy, LabelSmoothing = 0.2)]
[Adam]
internal partial class SwishLeakySigmoidBinary;

[Model(InputShape = [3])]
[Dense(4, Activation.Sigmoid)]
[Dense(1)]
[Loss(LossKind.BinaryCrossentropy, FromLogits = true)]
[Sgd]
internal partial class SigmoidBinaryLogits;

[Model(InputShape = [3])]
[Dense(4, Activation.Softmax)]
[Dense(2)]
[Loss(LossKind.Huber, Delta = 0.5, Reduction = Reduction.Sum)]
[Sgd]
internal partial class SoftmaxHiddenHuberSum;

[Model(InputShape = [3])]
[Dense(3, Activation.Relu)]
[Dense(2)]
[Loss(LossKind.MeanAbsoluteError, Reduction = Reduction.MeanWithSampleWeight)]
[Sgd]
internal partial class MaeWeighted;

[Model(InputShape = [4])]
[Dense(3, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
[Loss(LossKind.CategoricalCrossentropy)]
[Sgd]
internal partial class SoftmaxCategoricalProbabilities;
