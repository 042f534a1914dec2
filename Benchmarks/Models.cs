using Gen;

namespace Gen.Benchmarks;

/// <summary>mlp-small: launch and bookkeeping overhead dominate.</summary>
[Model(InputShape = [10])]
[Dense(64, Activation.Relu)]
[Dense(32, Activation.Relu)]
[Dense(1)]
[Loss(LossKind.MeanSquaredError)]
[Adam(LearningRate = 1e-3)]
public partial class MlpSmall;

/// <summary>mlp-wide: matrix-product bound.</summary>
[Model(InputShape = [784])]
[Dense(512, Activation.Relu)]
[Dense(512, Activation.Relu)]
[Dense(10)]
[Loss(LossKind.SparseCategoricalCrossentropy, FromLogits = true)]
[Adam(LearningRate = 1e-3)]
public partial class MlpWide;

/// <summary>Standard normal floats by Box–Muller from a seeded generator, as the anchors draw them.</summary>
internal sealed class NormalSource(int seed)
{
    private readonly Random _random = new(seed);

    public float[] Next(int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }
}

/// <summary>lstm: sequential dependence; the seeds' recurrent example.</summary>
[Model(InputShape = [50, 10])]
[Lstm(64, ReturnSequences = true)]
[Lstm(32)]
[Dense(1)]
[Loss(LossKind.BinaryCrossentropy, FromLogits = true)]
[Adam(LearningRate = 1e-3)]
public partial class LstmBenchmark;

/// <summary>multi-output: the seeds' price-and-category model; measures what several heads cost.</summary>
[Model(InputShape = [10])]
[Dense(64, Activation.Relu, Name = "shared")]
[Dense(1, Name = "price", From = "shared")]
[Dense(3, Activation.Softmax, Name = "category", From = "shared")]
[Output("price", LossKind.MeanSquaredError, Weight = 1.0)]
[Output("category", LossKind.SparseCategoricalCrossentropy, Weight = 0.5)]
[Adam(LearningRate = 1e-3)]
public partial class MultiOutputBenchmark;
