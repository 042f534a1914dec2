using Gen;

namespace Gen.Samples.Schedules;

/// <summary>The regression network of Samples/Regression: 10 features → 64 relu → 32 relu → 1.</summary>
[Model(InputShape = [10])]
[Dense(64, Activation.Relu)]
[Dense(32, Activation.Relu)]
[Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Adam(LearningRate = 1e-3)] // the fixed rate a schedule replaces
[Metrics(MetricKind.MeanAbsoluteError)]
public partial class Regressor;
