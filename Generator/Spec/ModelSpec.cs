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
    EquatableArray<int> InputShape,
    EquatableArray<LayerSpec> Layers,
    LossSpec Loss,
    OptimizerSpec Optimizer,
    EquatableArray<MetricKind> Metrics,
    EquatableArray<CustomMetricSpec> CustomMetrics = default)
{
    /// <summary>The features of one sample: the product of the input shape.</summary>
    public int InputSize
    {
        get
        {
            int size = 1;
            foreach (int d in InputShape) size *= d;
            return size;
        }
    }

    public int OutputSize => Layers[Layers.Length - 1].Units;

    public bool SparseTargets => Loss.Kind == LossKind.SparseCategoricalCrossentropy;

    public int TargetSize => SparseTargets ? 1 : OutputSize;

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

/// <summary>A user-defined metric: the type to construct (fully qualified) and its property in the evaluation result.</summary>
internal sealed record CustomMetricSpec(string TypeName, string PropertyName);

internal enum LayerKind { Dense, BatchNormalization, Dropout, Lstm, Gru }

/// <summary>
/// A layer of the chain. Dense: y = activation(x @ W + b), W of shape (Inputs, Units). BatchNormalization and Dropout
/// keep the width (Units == Inputs) and use their own options.
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
    bool GoBackwards = false)
{
    /// <summary>Whether the layer runs over sequences (LSTM, GRU).</summary>
    public bool IsRecurrent => Kind is LayerKind.Lstm or LayerKind.Gru;

    /// <summary>The gate blocks of a recurrent layer: 4 for an LSTM [i, f, c, o], 3 for a GRU [z, r, h].</summary>
    public int Gates => Kind == LayerKind.Lstm ? 4 : 3;

    /// <summary>Floats per sample going in: T × features for a recurrent layer, else the width.</summary>
    public int InputWidth => IsRecurrent ? Timesteps * Inputs : Inputs;

    /// <summary>Floats per sample coming out: T × units for a recurrent layer returning sequences, else the width.</summary>
    public int OutputWidth => IsRecurrent && ReturnSequences ? Timesteps * Units : Units;

    /// <summary>A recurrent layer's recurrent kernel (units, gates·units); 0 for other layers.</summary>
    public int RecurrentSize => IsRecurrent ? Units * Gates * Units : 0;

    /// <summary>Per sample, the cache the recurrent kernel keeps for backpropagation through time (Lstm/Gru.CacheSize / batch).</summary>
    public int RecurrentCacheWidth => Kind == LayerKind.Lstm ? 6 * Timesteps * Units : 5 * Timesteps * Units;

    /// <summary>Per sample, the scratch of the recurrent backward pass (Lstm/Gru.ScratchSize / batch).</summary>
    public int RecurrentScratchWidth => Kind == LayerKind.Lstm ? 4 * Timesteps * Units + 2 * Units : 4 * Timesteps * Units + Units;

    /// <summary>The first parameter tensor: Dense's kernel, or BatchNormalization's γ.</summary>
    public int KernelSize => Kind switch
    {
        LayerKind.Dense => Inputs * Units,
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
    public string KernelName => Kind == LayerKind.BatchNormalization ? "gamma" : "kernel";

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
