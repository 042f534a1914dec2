using Microsoft.CodeAnalysis;

namespace Gen.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports. IDs are stable; AnalyzerReleases.*.md lists them.</summary>
internal static class Descriptors
{
    private const string Category = "Gen";
    private const string HelpBase = "https://gen.invalid/diagnostics/";

    private static DiagnosticDescriptor Error(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description, HelpBase + id);

    private static DiagnosticDescriptor Warning(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description, HelpBase + id);

    public static readonly DiagnosticDescriptor NotPartial = Error("GEN0001",
        "Model class must be partial",
        "Model '{0}' must be declared partial{1}",
        "The generator adds the model's code to the class in another file, so the class and every type that contains it must be declared 'partial'.");

    public static readonly DiagnosticDescriptor NoLayers = Error("GEN0002",
        "Model has no layers",
        "Model '{0}' has no layers: add at least one layer attribute such as [Dense(10)]",
        "A model needs at least one layer; the last layer's outputs are the model's predictions.");

    public static readonly DiagnosticDescriptor InvalidInputShape = Error("GEN0003",
        "Invalid input shape",
        "Model '{0}' has input shape [{1}]: {2}",
        "[Model(InputShape = [...])] gives the shape of one sample without the batch dimension; every dimension must be positive.");

    public static readonly DiagnosticDescriptor NonPositiveUnits = Error("GEN0004",
        "Layer units must be positive",
        "Layer '{0}' has {1} units: expected at least 1",
        "A dense layer's number of outputs must be a positive integer.");

    public static readonly DiagnosticDescriptor LossDoesNotFitOutput = Error("GEN0005",
        "Loss does not fit the model's output",
        "{0} does not fit an output of {1} unit(s) with {2} activation: {3}",
        "Each loss expects a particular output: sparse and categorical cross-entropy need one unit per class (at least 2), binary cross-entropy needs independent sigmoid (or logit) outputs.");

    public static readonly DiagnosticDescriptor ActivatedOutputWithLogitsLoss = Warning("GEN0006",
        "Activated output with a from-logits loss",
        "The output layer applies {0}, but the loss has FromLogits = true, so it will apply {1} a second time",
        "With FromLogits = true the loss applies softmax or sigmoid itself; give the last layer a linear activation, or set FromLogits = false.");

    public static readonly DiagnosticDescriptor InvalidHyperparameter = Error("GEN0007",
        "Invalid hyperparameter",
        "{0} is {1}: expected {2}",
        "A hyperparameter's value is outside the range where the algorithm is defined.");

    public static readonly DiagnosticDescriptor SpreadOverPartials = Error("GEN0008",
        "Model attributes are spread over several declarations",
        "Model '{0}' has model attributes on more than one partial declaration; put them all on one, so the layer order is unambiguous",
        "Layers run in the order they are written, which is only defined within one declaration.");

    public static readonly DiagnosticDescriptor MissingLoss = Error("GEN0009",
        "Model has no loss",
        "Model '{0}' has no loss: add [Loss(LossKind...)], or [Output(\"layer\", LossKind...)] for each output",
        "Training needs a loss.");

    public static readonly DiagnosticDescriptor MissingOptimizer = Error("GEN0010",
        "Model has no optimizer",
        "Model '{0}' has no optimizer: add one such as [Adam] or [Sgd]",
        "Training needs exactly one optimizer attribute.");

    public static readonly DiagnosticDescriptor SeveralOptimizers = Error("GEN0011",
        "Model has several optimizers",
        "Model '{0}' has {1} optimizers ({2}): keep exactly one",
        "A model is trained by exactly one optimizer.");

    public static readonly DiagnosticDescriptor MetricDoesNotFit = Error("GEN0012",
        "Metric does not fit the model's targets",
        "{0} does not fit this model: {1}",
        "Sparse metrics need integer class labels (a sparse categorical loss); categorical and binary metrics need targets of the output's width.");

    public static readonly DiagnosticDescriptor DuplicateMetric = Error("GEN0013",
        "Metric listed twice",
        "Metric {0} is listed more than once",
        "Each metric is reported once under its name.");

    public static readonly DiagnosticDescriptor ModelTooLarge = Error("GEN0014",
        "Model too large",
        "Model '{0}' is too large from layer '{1}' on: {2} parameters and {3} activations per sample, where each must be at most {4}",
        "Every parameter lives in one float array, and one sample's activations in one span of another, so each count must fit in an int.");

    public static readonly DiagnosticDescriptor SeveralClippingOptions = Error("GEN0015",
        "Several gradient clipping options",
        "The optimizer sets {0}: keep at most one of ClipNorm, ClipValue and GlobalClipNorm",
        "Keras allows one clipping mode per optimizer: per-tensor norm, element value, or the global norm.");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error("GEN0016",
        "Duplicate layer name",
        "Layer name '{0}' is used twice",
        "Layer names name the weights in saved files and in weight-decay exclusions, so each must be unique, as in Keras.");

    public static readonly DiagnosticDescriptor InvalidCustomMetric = Error("GEN0017",
        "Invalid custom metric",
        "Custom metric {0} cannot be used: {1}",
        "A custom metric is created by the generated model for every Fit and Evaluate: it must derive from Gen.Metric and have a parameterless constructor.");

    public static readonly DiagnosticDescriptor UnknownLayer = Error("GEN0018",
        "Unknown layer name",
        "{0} names '{1}', which is not a layer of this model; the names are: {2}",
        "From, Concatenate, Add and Output name layers of the same model, or \"input\" for the model's input.");

    public static readonly DiagnosticDescriptor GraphCycle = Error("GEN0019",
        "Layers form a cycle",
        "Layers {0} take their inputs from each other in a cycle: each layer must depend only on the input and on layers that do not depend on it",
        "A model is a directed acyclic graph from its input to its outputs.");

    public static readonly DiagnosticDescriptor UnusedLayer = Error("GEN0020",
        "Layer output goes nowhere",
        "The output of layer '{0}' goes nowhere: no layer takes it (From = \"{0}\") and it is not an output with a loss ([Output(\"{0}\", LossKind...)])",
        "Every layer must feed another layer or be one of the model's outputs, with a loss to train it.");

    public static readonly DiagnosticDescriptor JoinShapeMismatch = Error("GEN0021",
        "Shapes do not match at a join",
        "Layer '{0}' ({1}) cannot join {2}: {3}",
        "Add needs inputs of one shape; Concatenate needs inputs that agree on every axis but the last.");

    public static readonly DiagnosticDescriptor OutputsWithModelLoss = Error("GEN0022",
        "Outputs and a model loss both given",
        "{0} describes a model with one output, but this model declares [Output] attributes: give each output its loss and metrics in [Output] instead",
        "A model either has one loss ([Loss], [Metrics]) for its last layer, or names its outputs with [Output], each with its own loss, weight and metrics.");

    public static readonly DiagnosticDescriptor UnusedInput = Error("GEN0023",
        "Input goes nowhere",
        "No layer reads input '{0}': take it with From = \"{0}\", or remove the [Input]",
        "Every declared input must feed a layer; Fit, Evaluate and Predict would otherwise ask for data nothing uses.");
}
