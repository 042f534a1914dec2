using System;

namespace Gen;

/// <summary>
/// Keras's <c>Flatten</c>: (timesteps, features) becomes (timesteps·features). The data do not move: the layer
/// only changes the shape the next layer sees.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}

/// <summary>
/// Keras's <c>Reshape</c>: gives one sample a new shape of the same size, e.g. [784] to [28, 28]; one dimension
/// may be −1, inferred from the others. The data do not move.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReshapeAttribute : Attribute
{
    public ReshapeAttribute(params int[] targetShape) => TargetShape = targetShape;

    /// <summary>The new shape of one sample, without the batch dimension: one or two dimensions.</summary>
    public int[] TargetShape { get; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}

/// <summary>Keras's <c>Activation</c> layer: applies an activation element-wise, keeping the shape.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : Attribute
{
    public ActivationAttribute(Activation activation) => Activation = activation;

    /// <summary>The activation applied to every value (softmax runs over the last axis).</summary>
    public Activation Activation { get; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}

/// <summary>
/// Keras's <c>Embedding</c>: maps each integer of a sample of shape (timesteps) to a row of a trainable table
/// (inputDim, outputDim), giving (timesteps, outputDim). The integers arrive as floats holding whole numbers in
/// [0, inputDim); the table starts uniform in [−0.05, 0.05]. It must take one of the model's inputs.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EmbeddingAttribute : Attribute
{
    public EmbeddingAttribute(int inputDim, int outputDim)
    {
        InputDim = inputDim;
        OutputDim = outputDim;
    }

    /// <summary>The vocabulary size: indices lie in [0, InputDim).</summary>
    public int InputDim { get; }

    /// <summary>The size of each embedding vector.</summary>
    public int OutputDim { get; }

    /// <summary>
    /// Whether index 0 is padding (Keras's <c>mask_zero</c>): the LSTM or GRU that reads these vectors, through Dropout
    /// or Activation layers, skips the padded steps, carrying its state over them. Index 0 still has a row in the table.
    /// </summary>
    public bool MaskZero { get; set; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" (the default for the first layer).</summary>
    public string? From { get; set; }
}

/// <summary>
/// Keras's <c>Concatenate</c> on the last axis: joins the outputs of the named layers ("input" for the model's
/// input), whose shapes must agree on every axis but the last.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatenateAttribute : Attribute
{
    public ConcatenateAttribute(params string[] from) => From = from;

    /// <summary>The layers joined, in order; at least two.</summary>
    public string[] From { get; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }
}

/// <summary>Keras's <c>Add</c>: the element-wise sum of the outputs of the named layers, which must have one shape.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute : Attribute
{
    public AddAttribute(params string[] from) => From = from;

    /// <summary>The layers summed; at least two.</summary>
    public string[] From { get; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Names a layer as one of the model's outputs, with its own loss, loss weight and metrics (Keras's dictionaries of
/// <c>loss</c>, <c>loss_weights</c> and <c>metrics</c> keyed by output name). The model's loss is Σ weight · loss.
/// With several outputs, <c>Fit</c> and <c>Evaluate</c> take one target per output and <c>Predict</c> returns one
/// array per output, named after the layers. Not used together with [Loss] and [Metrics], which describe a
/// model with one output.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
    public OutputAttribute(string layer, LossKind loss)
    {
        Layer = layer;
        Loss = loss;
    }

    /// <summary>The layer whose output this is; it also names the output.</summary>
    public string Layer { get; }

    /// <summary>The loss of this output.</summary>
    public LossKind Loss { get; }

    /// <summary>The weight of this output's loss in the model's loss (default 1).</summary>
    public double Weight { get; set; } = 1.0;

    /// <summary>Cross-entropies: the predictions are logits rather than probabilities (default false).</summary>
    public bool FromLogits { get; set; }

    /// <summary>Binary and categorical cross-entropy: label smoothing in [0, 1] (default 0).</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>Huber: the point where the loss turns from quadratic to linear (default 1).</summary>
    public double Delta { get; set; } = 1.0;

    /// <summary>The reduction over the batch (default <see cref="Reduction.SumOverBatchSize"/>).</summary>
    public Reduction Reduction { get; set; } = Reduction.SumOverBatchSize;

    /// <summary>This output's metrics, reported as "layer_metric" in logs and under the output in results.</summary>
    public MetricKind[] Metrics { get; set; } = [];

    /// <summary>User-defined metrics of this output (types deriving from <c>Gen.Metric</c>).</summary>
    public Type[] CustomMetrics { get; set; } = [];

    /// <summary>The k of this output's top-k accuracy metrics (default 5, as Keras).</summary>
    public int TopK { get; set; } = 5;

    /// <summary>The decision threshold of this output's binary accuracy, precision and recall (default 0.5, as Keras).</summary>
    public double Threshold { get; set; } = 0.5;
}

/// <summary>
/// Declares one of the model's named inputs, as Keras's several <c>Input</c> layers: layers read it with
/// <c>From = "name"</c>. With [Input] attributes the model gives no <c>InputShape</c>; <c>Fit</c>, <c>Evaluate</c>
/// and <c>Predict</c> then take one array per input, named after them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    public InputAttribute(string name, params int[] shape)
    {
        Name = name;
        Shape = shape;
    }

    /// <summary>The input's name, which From uses; it also names the input in typed features.</summary>
    public string Name { get; }

    /// <summary>The shape of one sample of this input, without the batch dimension: one or two dimensions.</summary>
    public int[] Shape { get; }
}
