using Gen;

namespace Gen.Samples.MultiOutput;

/// <summary>
/// The seeds' price and category model: a shared trunk, a regression head and a 3-class head, each with its own
/// loss, loss weight and metric; the model's loss is 1.0 · price loss + 0.5 · category loss.
/// </summary>
[Model(InputShape = [10])]
[Dense(64, Activation.Relu, Name = "shared")]
[Dense(1, Name = "price", From = "shared")]
[Dense(3, Activation.Softmax, Name = "category", From = "shared")]
[Output("price", LossKind.MeanSquaredError, Weight = 1.0, Metrics = [MetricKind.MeanAbsoluteError])]
[Output("category", LossKind.SparseCategoricalCrossentropy, Weight = 0.5, Metrics = [MetricKind.SparseCategoricalAccuracy])]
[Adam(LearningRate = 3e-3)]
public partial class PriceAndCategory;
