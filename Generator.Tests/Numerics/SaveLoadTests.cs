using Gen.Checkpoints;

namespace Gen.Generator.Tests.Numerics;

/// <summary>Generated Save and Load: Keras's variable names and shapes, moving statistics included, and bad files change nothing.</summary>
public sealed class SaveLoadTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gen-save-load-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string File(string name) => Path.Combine(_directory, name);

    private static float[] Inputs(int rows, int width, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Fact]
    public void A_saved_model_loads_into_another_with_identical_predictions_and_moving_statistics()
    {
        var trained = new WithBatchNorm(seed: 1);
        var x = Inputs(8, 4, 2);
        var y = Inputs(8, 3, 3);
        for (int step = 0; step < 5; step++) trained.TrainStep(x, y, default, 8); // moves γ, β and the moving statistics
        string path = File("model.safetensors");
        trained.Save(path);

        var fresh = new WithBatchNorm(seed: 99);
        var xs = new float[8, 4];
        Buffer.BlockCopy(x, 0, xs, 0, x.Length * sizeof(float));
        Assert.NotEqual(trained.Predict(xs).Cast<float>(), fresh.Predict(xs).Cast<float>());
        fresh.Load(path);
        Assert.Equal(trained.Weights(), fresh.Weights());
        Assert.Equal(trained.StateValues(), fresh.StateValues());
        Assert.Equal(trained.Predict(xs).Cast<float>(), fresh.Predict(xs).Cast<float>());
    }

    [Fact]
    public void The_file_holds_each_variable_under_its_keras_name_and_shape()
    {
        string path = File("gru.safetensors");
        new TextGraphModel(seed: 1).Save(path);
        var tensors = SafeTensors.Load(path, out var metadata);
        Assert.Equal("TextGraphModel", metadata["model"]);
        Assert.Equal(
            ["embedding/embeddings [50, 4]", "left/kernel [24, 8]", "left/bias [8]", "right/kernel [24, 8]", "right/bias [8]",
             "gru/kernel [4, 9]", "gru/recurrent_kernel [3, 9]", "gru/bias [2, 9]",
             "batch_normalization/gamma [3]", "batch_normalization/beta [3]", "batch_normalization/moving_mean [3]", "batch_normalization/moving_variance [3]",
             "dense/kernel [3, 2]", "dense/bias [2]"],
            tensors.Select(t => $"{t.Name} [{string.Join(", ", t.Shape)}]").ToArray());
    }

    [Fact]
    public void A_file_of_another_model_is_an_error_that_changes_nothing()
    {
        string path = File("joins.safetensors");
        new Joins(seed: 1).Save(path);
        var model = new WithBatchNorm(seed: 5);
        var before = model.Weights();
        var error = Assert.Throws<InvalidDataException>(() => model.Load(path));
        Assert.Contains("'dense/kernel'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'WithBatchNorm'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Weights());
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_or_an_extra_tensor_is_an_error_that_changes_nothing()
    {
        var model = new WithBatchNorm(seed: 5);
        string path = File("shape.safetensors");
        model.Save(path);
        var tensors = SafeTensors.Load(path).ToList();
        var before = model.Weights();

        var reshaped = tensors.Select(t => t.Name == "dense_1/kernel" ? (t.Name, new[] { 3, 5 }, (ReadOnlyMemory<float>)t.Data) : (t.Name, t.Shape, t.Data)).ToList();
        SafeTensors.Save(path, reshaped);
        var shape = Assert.Throws<InvalidDataException>(() => model.Load(path));
        Assert.Contains("'dense_1/kernel' has shape [3, 5]", shape.Message, StringComparison.Ordinal);
        Assert.Contains("expects [5, 3]", shape.Message, StringComparison.Ordinal);

        var extra = tensors.Select(t => (t.Name, t.Shape, (ReadOnlyMemory<float>)t.Data)).Append(("head/kernel", new[] { 1 }, new float[] { 1 })).ToList();
        SafeTensors.Save(path, extra);
        var more = Assert.Throws<InvalidDataException>(() => model.Load(path));
        Assert.Contains("'head/kernel'", more.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Weights());
    }
}

/// <summary>The snapshot's TextGraph, for the names and shapes of every kind of variable.</summary>
[Model(InputShape = [6])]
[Embedding(50, 4)]
[Flatten(Name = "tokens")]
[Dense(8, Activation.Relu, Name = "left")]
[Dense(8, Name = "right", From = "tokens")]
[Add("left", "right")]
[Activation(Activation.Tanh)]
[Concatenate("activation", "left")]
[Reshape(4, 4)]
[Gru(3)]
[BatchNormalization]
[Dense(2, Activation.Softmax)]
[Loss(LossKind.CategoricalCrossentropy)]
[Sgd(Momentum = 0.9)]
internal partial class TextGraphModel;
