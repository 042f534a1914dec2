using System.Linq;

namespace Gen.Generator.Spec;

// The values of these enums mirror Gen.Attributes (a test keeps them equal); the generator reads
// attribute arguments as integers and never loads the user's copy of the Attributes assembly.

internal enum ActivationKind { Linear = 0, Relu, Sigmoid, Tanh, Softmax, Gelu, Elu, Selu, Softplus, Swish, LeakyRelu }

internal enum LossKind { MeanSquaredError = 0, MeanAbsoluteError, Huber, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy }

internal enum ReductionKind { SumOverBatchSize = 0, Sum, MeanWithSampleWeight }

internal enum MetricKind { MeanAbsoluteError = 0, MeanSquaredError, RootMeanSquaredError, Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, Precision, Recall, Auc }

internal enum OptimizerKind { Sgd, Adam, AdamW, RmsProp, Adagrad }

/// <summary>A type that contains the model class: emitted as an enclosing partial declaration.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name, EquatableArray<string> TypeParameters);

/// <summary>
/// Everything the emitter needs to know about one model, built only from primitives, enums, strings and
/// equatable arrays, so that an edit which does not change the model leaves the pipeline's outputs cached.
/// </summary>
internal sealed record ModelSpec(
    string? Namespace,
    string TypeName,
    string Keyword,
    EquatableArray<string> TypeParameters,
    string Accessibility,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    EquatableArray<InputSpec> Inputs,
    EquatableArray<LayerSpec> Layers,
    EquatableArray<OutputSpec> Outputs,
    OptimizerSpec Optimizer)
{
    /// <summary>The features of one sample: the inputs' widths, side by side.</summary>
    public int InputSize => Inputs.Sum(i => i.Width);

    /// <summary>Whether the model has several named inputs (typed features per input).</summary>
    public bool MultiInput => Inputs.Length > 1;

    /// <summary>Input k of a layer's From code −1 − k.</summary>
    public InputSpec Input(int code) => Inputs[-1 - code];

    /// <summary>Whether the model has several named outputs (typed targets, predictions and results per output).</summary>
    public bool MultiOutput => Outputs.Length > 1;

    /// <summary>The predictions of one sample: the outputs' widths, side by side.</summary>
    public int OutputSize => Outputs.Sum(o => Layers[o.Layer].Width);

    /// <summary>The targets of one sample: each output's target width, side by side.</summary>
    public int TargetSize => Outputs.Sum(o => TargetWidth(o));

    public int TargetWidth(OutputSpec output) => output.Loss.Kind == LossKind.SparseCategoricalCrossentropy ? 1 : Layers[output.Layer].Width;

    /// <summary>Where output k's predictions start in the side-by-side row of all outputs.</summary>
    public int OutputOffset(int k) => Outputs.Take(k).Sum(o => Layers[o.Layer].Width);

    /// <summary>Where output k's targets start in the side-by-side row of all targets.</summary>
    public int TargetOffset(int k) => Outputs.Take(k).Sum(TargetWidth);

    /// <summary>Whether the (single) output takes integer class labels.</summary>
    public bool SparseTargets => !MultiOutput && Outputs[0].Loss.Kind == LossKind.SparseCategoricalCrossentropy;

    /// <summary>
    /// The type's full name, for hint names: Namespace.Outer.Type, with metadata arity suffixes (Outer`1) so
    /// that generic and non-generic types of one name differ and no '&lt;', which hint names reject, appears.
    /// </summary>
    public string FullName
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            if (Namespace is not null) parts.Add(Namespace);
            foreach (var c in ContainingTypes) parts.Add(WithArity(c.Name, c.TypeParameters));
            parts.Add(WithArity(TypeName, TypeParameters));
            return string.Join(".", parts);
        }
    }

    private static string WithArity(string name, EquatableArray<string> typeParameters) =>
        typeParameters.Length == 0 ? name : name + "`" + typeParameters.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// One of the model's inputs: its name (From uses it; "input" for a model with one), its property in typed features,
/// the shape of one sample, and its columns in the side-by-side row the model reads. Layers name input k by −1 − k.
/// </summary>
internal sealed record InputSpec(string Name, string PropertyName, EquatableArray<int> Shape, int Offset)
{
    public int Width
    {
        get
        {
            int size = 1;
            foreach (int d in Shape) size *= d;
            return size;
        }
    }
}

/// <summary>A user-defined metric: the type to construct (fully qualified) and its property in the evaluation result.</summary>
internal sealed record CustomMetricSpec(string TypeName, string PropertyName);

internal enum LayerKind { Dense, BatchNormalization, Dropout, Lstm, Gru, Flatten, Reshape, Activation, Embedding, Concatenate, Add }

/// <summary>
/// One output of the model: the layer it comes from, its loss and loss weight, and its metrics. A model with one
/// output (from [Loss] and [Metrics]) has one of these too, with weight 1.
/// </summary>
internal sealed record OutputSpec(
    int Layer,
    string Name,
    string PropertyName,
    LossSpec Loss,
    double Weight,
    EquatableArray<MetricKind> Metrics,
    EquatableArray<CustomMetricSpec> CustomMetrics,
    int TopK = 5,
    double Threshold = 0.5);

/// <summary>
/// A layer of the graph, in topological order (<see cref="Index"/> is its position). <see cref="From"/> lists the
/// layers it reads (−1 for the model's input), all earlier in the order; <see cref="Shape"/> is the shape of one
/// sample of its output. Dense: y = activation(x @ W + b), W of shape (Inputs, Units). BatchNormalization works on
/// the last axis (Units features); Dropout and Activation keep the shape; Flatten and Reshape only rename the
/// shape of their input's data; Embedding maps Timesteps indices to rows of a (Inputs, Units) table.
/// </summary>
internal sealed record LayerSpec(
    int Index,
    string Name,
    int Inputs,
    int Units,
    ActivationKind Activation,
    bool UseBias,
    LayerKind Kind = LayerKind.Dense,
    double Rate = 0,
    double Momentum = 0.99,
    double Epsilon = 1e-3,
    bool Center = true,
    bool Scale = true,
    int Timesteps = 0,
    bool ReturnSequences = false,
    bool GoBackwards = false,
    EquatableArray<int> From = default,
    EquatableArray<int> Shape = default,
    bool MaskZero = false,
    int MaskFrom = -1)
{
    /// <summary>Whether a recurrent layer reads a padding mask: the (B, T) mask of Embedding layer <see cref="MaskFrom"/>.</summary>
    public bool Masked => MaskFrom >= 0;

    /// <summary>Whether the layer runs over sequences (LSTM, GRU).</summary>
    public bool IsRecurrent => Kind is LayerKind.Lstm or LayerKind.Gru;

    /// <summary>
    /// The layer whose storage holds layer <paramref name="j"/>'s output, following Flatten, Reshape and linear Activation
    /// (which own none), or the input's code −1 − k when the data are input k's.
    /// </summary>
    public static int Owner(System.Collections.Generic.IReadOnlyList<LayerSpec> layers, int j)
    {
        while (j >= 0 && layers[j].IsAlias) j = layers[j].From[0];
        return j;
    }

    /// <summary>Whether the layer's output is its input's data under another shape (no storage, no code).</summary>
    public bool IsAlias => Kind is LayerKind.Flatten or LayerKind.Reshape || (Kind == LayerKind.Activation && Activation == ActivationKind.Linear);

    /// <summary>Floats per sample coming out: the product of <see cref="Shape"/>.</summary>
    public int Width
    {
        get
        {
            int size = 1;
            foreach (int d in Shape) size *= d;
            return size;
        }
    }

    /// <summary>A recurrent layer's recurrent kernel (units, gates·units); 0 for other layers.</summary>
    public int RecurrentSize => IsRecurrent ? Units * Gates * Units : 0;

    /// <summary>The gate blocks of a recurrent layer: 4 for an LSTM [i, f, c, o], 3 for a GRU [z, r, h].</summary>
    public int Gates => Kind == LayerKind.Lstm ? 4 : 3;

    /// <summary>Per sample, the cache the recurrent kernel keeps for backpropagation through time (Lstm/Gru.CacheSize / batch).</summary>
    public int RecurrentCacheWidth => Kind == LayerKind.Lstm ? 6 * Timesteps * Units : 5 * Timesteps * Units;

    /// <summary>Per sample, the scratch of the recurrent backward pass (Lstm/Gru.ScratchSize / batch).</summary>
    public int RecurrentScratchWidth => Kind == LayerKind.Lstm ? 4 * Timesteps * Units + 2 * Units : 4 * Timesteps * Units + Units;

    /// <summary>BatchNormalization: the rows each sample contributes (1 for flat samples, T for sequences).</summary>
    public int RowsPerSample => Units == 0 ? 1 : Width / Units;

    /// <summary>The first parameter tensor: Dense's kernel, BatchNormalization's γ, or Embedding's table.</summary>
    public int KernelSize => Kind switch
    {
        LayerKind.Dense or LayerKind.Embedding => Inputs * Units,
        LayerKind.Lstm or LayerKind.Gru => Inputs * Gates * Units,
        LayerKind.BatchNormalization => Scale ? Units : 0,
        _ => 0,
    };

    /// <summary>The second parameter tensor: Dense's bias, or BatchNormalization's β.</summary>
    public int BiasSize => Kind switch
    {
        LayerKind.Dense => UseBias ? Units : 0,
        LayerKind.Lstm => 4 * Units,
        LayerKind.Gru => 6 * Units, // input and recurrent biases, (2, 3·units)
        LayerKind.BatchNormalization => Center ? Units : 0,
        _ => 0,
    };

    public int ParameterCount => KernelSize + RecurrentSize + BiasSize;

    /// <summary>Keras's type name, for the summary.</summary>
    public string KerasType => Kind switch { LayerKind.Lstm => "LSTM", LayerKind.Gru => "GRU", _ => Kind.ToString() };

    /// <summary>The names of the two parameter tensors, as Keras names the variables.</summary>
    public string KernelName => Kind switch { LayerKind.BatchNormalization => "gamma", LayerKind.Embedding => "embeddings", _ => "kernel" };

    public string BiasName => Kind == LayerKind.BatchNormalization ? "beta" : "bias";
}

internal sealed record LossSpec(LossKind Kind, bool FromLogits, double LabelSmoothing, double Delta, ReductionKind Reduction);

/// <summary>An optimizer and its options; options another kind does not have keep their defaults.</summary>
internal sealed record OptimizerSpec(
    OptimizerKind Kind,
    double LearningRate,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-7,
    bool Amsgrad = false,
    double Momentum = 0,
    bool Nesterov = false,
    double Rho = 0.9,
    bool Centered = false,
    double InitialAccumulatorValue = 0.1,
    double WeightDecay = 0,
    double ClipNorm = 0,
    double ClipValue = 0,
    double GlobalClipNorm = 0,
    int GradientAccumulationSteps = 0,
    bool UseEma = false,
    double EmaMomentum = 0.99,
    int EmaOverwriteFrequency = 0,
    double LossScaleFactor = 0);
