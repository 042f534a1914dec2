using Gen;

namespace Gen.Samples.Metrics;

/// <summary>
/// Is a point positive? 2 features → 16 relu → 1 sigmoid, reporting four metrics at every epoch and evaluation:
/// accuracy, precision and recall at the threshold 0.5, and the area under the ROC curve (all thresholds).
/// </summary>
[Model(InputShape = [2])]
[Dense(16, Activation.Relu)]
[Dense(1, Activation.Sigmoid)]
[Loss(LossKind.BinaryCrossentropy)]
[Adam(LearningRate = 0.01)]
[Metrics(MetricKind.BinaryAccuracy, MetricKind.Precision, MetricKind.Recall, MetricKind.Auc, Custom = [typeof(F1Score)])]
public partial class BinaryClassifier;

/// <summary>
/// Which of 10 classes? 2 features → 32 relu → 10 softmax on one-hot targets, reporting top-1 accuracy and
/// top-5 accuracy (the true class is among the 5 most probable).
/// </summary>
[Model(InputShape = [2])]
[Dense(32, Activation.Relu)]
[Dense(10, Activation.Softmax)]
[Loss(LossKind.CategoricalCrossentropy)]
[Adam(LearningRate = 0.01)]
[Metrics(MetricKind.CategoricalAccuracy, MetricKind.TopKCategoricalAccuracy)]
public partial class TenClassClassifier;
