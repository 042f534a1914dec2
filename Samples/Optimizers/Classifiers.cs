using Gen;

namespace Gen.Samples.Optimizers;

// Seven copies of one network, 4 features → 32 relu → 3 softmax, that differ only in the optimizer attribute.
// Every one uses the same learning rate, 0.01, so the table compares the update rules, not tuned rates.

[Model(InputShape = [4]), Dense(32, Activation.Relu), Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy), Metrics(MetricKind.SparseCategoricalAccuracy)]
[Sgd(LearningRate = 0.01)]
public partial class SgdClassifier;

[Model(InputShape = [4]), Dense(32, Activation.Relu), Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy), Metrics(MetricKind.SparseCategoricalAccuracy)]
[Sgd(LearningRate = 0.01, Momentum = 0.9)]
public partial class MomentumClassifier;

[Model(InputShape = [4]), Dense(32, Activation.Relu), Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy), Metrics(MetricKind.SparseCategoricalAccuracy)]
[Sgd(LearningRate = 0.01, Momentum = 0.9, Nesterov = true)]
public partial class NesterovClassifier;

[Model(InputShape = [4]), Dense(32, Activation.Relu), Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy), Metrics(MetricKind.SparseCategoricalAccuracy)]
[Adam(LearningRate = 0.01)]
public partial class AdamClassifier;

// AdamW is Adam with decoupled weight decay: w ← w − w·λ·η before each update (λ = 0.004 by default).
[Model(InputShape = [4]), Dense(32, Activation.Relu), Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy), Metrics(MetricKind.SparseCategoricalAccuracy)]
[AdamW(LearningRate = 0.01, WeightDecay = 0.004)]
public partial class AdamWClassifier;

[Model(InputShape = [4]), Dense(32, Activation.Relu), Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy), Metrics(MetricKind.SparseCategoricalAccuracy)]
[RmsProp(LearningRate = 0.01)]
public partial class RmsPropClassifier;

[Model(InputShape = [4]), Dense(32, Activation.Relu), Dense(3, Activation.Softmax)]
[Loss(LossKind.SparseCategoricalCrossentropy), Metrics(MetricKind.SparseCategoricalAccuracy)]
[Adagrad(LearningRate = 0.01)]
public partial class AdagradClassifier;
