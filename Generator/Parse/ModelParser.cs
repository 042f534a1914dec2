using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Gen.Generator.Diagnostics;
using Gen.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gen.Generator.Parse;

/// <summary>
/// The only code that sees symbols: turns a class marked [Model] and its attributes into a
/// <see cref="ModelSpec"/> and the diagnostics of everything wrong with it. Never throws on user input.
/// </summary>
internal static class ModelParser
{
    private const string AttributeNamespace = "Gen";

    // Names as values, without '@' (the emitter escapes keywords; hint names reject '@').
    private static readonly SymbolDisplayFormat NamespaceFormat = new(typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces);

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var modelAttribute = context.Attributes[0];
        string typeName = symbol.Name;

        // [Model] is only valid on classes (and record classes); on anything else the compiler already reports
        // CS0592, and emitting a partial class would only add errors.
        if (symbol.TypeKind != TypeKind.Class) return new ParseResult(null, default);

        void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] args) =>
            diagnostics.Add(new DiagnosticInfo(descriptor, LocationInfo.From(location),
                args.Select(a => System.Convert.ToString(a, CultureInfo.InvariantCulture) ?? "").ToEquatableArray()));

        // The class and every type around it must be partial.
        var containing = new List<ContainingTypeSpec>();
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            Report(Descriptors.NotPartial, declaration.Identifier.GetLocation(), typeName, "");
        }
        for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
                Report(Descriptors.NotPartial, declaration.Identifier.GetLocation(), typeName, $", and so must its containing type '{parent.Identifier.Text}'");
            containing.Insert(0, new ContainingTypeSpec(Keyword(parent), parent.Identifier.ValueText, TypeParameters(parent)));
        }

        // Gather the model's attributes, in source order.
        var modelAttributes = new List<AttributeData>();
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsGenAttribute(attribute.AttributeClass) && attribute.ApplicationSyntaxReference is not null)
                modelAttributes.Add(attribute);
        }
        var declarationsUsed = modelAttributes.Select(a => a.ApplicationSyntaxReference!.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>()).Distinct().Count();
        if (declarationsUsed > 1)
        {
            Report(Descriptors.SpreadOverPartials, AttributeLocation(modelAttribute, cancellationToken), typeName);
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }
        modelAttributes.Sort((a, b) => a.ApplicationSyntaxReference!.Span.Start.CompareTo(b.ApplicationSyntaxReference!.Span.Start));

        // Input shape.
        var inputShape = new List<int>();
        foreach (var named in modelAttribute.NamedArguments)
        {
            if (named.Key == "InputShape" && named.Value.Kind == TypedConstantKind.Array && !named.Value.IsNull)
                inputShape.AddRange(named.Value.Values.Select(v => v.Value is int i ? i : 0));
        }
        var modelLocation = AttributeLocation(modelAttribute, cancellationToken);

        // Inputs: [Input(name, shape)] attributes, or the model's InputShape as one input named "input".
        var inputs = new List<(string Name, int[] Shape, Location? Location)>();
        bool inputsValid = true;
        var inputAttributes = modelAttributes.Where(a => a.AttributeClass!.Name == "InputAttribute").ToList();
        if (inputAttributes.Count > 0)
        {
            if (inputShape.Count > 0)
            {
                Report(Descriptors.InvalidInputShape, modelLocation, typeName, string.Join(", ", inputShape), "give either InputShape or [Input] attributes, not both");
                inputsValid = false;
            }
            foreach (var attribute in inputAttributes)
            {
                var location = AttributeLocation(attribute, cancellationToken);
                string name = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
                int[] shape = attribute.ConstructorArguments.Length > 1 ? IntArray(attribute.ConstructorArguments[1]) : [];
                string? why = string.IsNullOrWhiteSpace(name) ? "a non-empty name"
                    : name == InputName ? "another name: \"input\" names the input of a model with one"
                    : inputs.Any(i => i.Name == name) ? "a name no other input has"
                    : shape.Length is < 1 or > 2 || shape.Any(d => d <= 0) ? "one or two positive dimensions, e.g. [Input(\"text\", 20)]"
                    : null;
                if (why is not null)
                {
                    Report(Descriptors.InvalidHyperparameter, location, "The input", $"\"{name}\" of shape [{string.Join(", ", shape)}]", why);
                    inputsValid = false;
                }
                inputs.Add((name, shape, location));
            }
        }
        else
        {
            if (inputShape.Count == 0)
                Report(Descriptors.InvalidInputShape, modelLocation, typeName, "", "give the shape of one sample, e.g. [Model(InputShape = [784])], or name several inputs with [Input]");
            else if (inputShape.Any(d => d <= 0))
                Report(Descriptors.InvalidInputShape, modelLocation, typeName, string.Join(", ", inputShape), "every dimension must be positive");
            else if (inputShape.Count > 2)
                Report(Descriptors.InvalidInputShape, modelLocation, typeName, string.Join(", ", inputShape), "give flat samples such as [" + inputShape.Aggregate(1L, (p, d) => p * d) + "], or sequences (timesteps, features) for an LSTM");
            inputsValid = inputShape.Count is 1 or 2 && inputShape.All(d => d > 0);
            inputs.Add((InputName, inputShape.ToArray(), modelLocation));
        }

        var declared = new List<DeclaredLayer>();
        var autoNamed = new Dictionary<string, int>();

        // Keras numbers only the layers it names itself, per kind: dense, dense_1, ..., dropout, dropout_1, ...
        string LayerName(AttributeData attribute, string prefix, Location? location)
        {
            string? given = Named<string?>(attribute, "Name", null);
            autoNamed.TryGetValue(prefix, out int count);
            string name = given ?? (count == 0 ? prefix : prefix + "_" + count.ToString(CultureInfo.InvariantCulture));
            if (given is null) autoNamed[prefix] = count + 1;
            if (string.IsNullOrWhiteSpace(name))
                Report(Descriptors.InvalidHyperparameter, location, "Name", "\"" + name + "\"", "a non-empty layer name");
            else if (name == InputName)
                Report(Descriptors.InvalidHyperparameter, location, "Name", "\"input\"", "another name: \"input\" names the model's input in From");
            else if (declared.Any(l => l.Name == name) || inputs.Any(i => i.Name == name))
                Report(Descriptors.DuplicateLayerName, location, name);
            return name;
        }
        // A layer reads the layer written before it (the input, for the first) unless From names another.
        string[] SingleFrom(AttributeData attribute) =>
            [Named<string?>(attribute, "From", null) ?? (declared.Count == 0 ? inputs[0].Name : declared[declared.Count - 1].Name)];
        DeclaredLayer Declare(AttributeData attribute, LayerKind kind, string prefix, Location? location, string[]? from = null)
        {
            var layer = new DeclaredLayer(kind, LayerName(attribute, prefix, location), from ?? SingleFrom(attribute), location);
            declared.Add(layer);
            return layer;
        }

        LossSpec? loss = null;
        AttributeData? lossAttribute = null;
        var optimizers = new List<(OptimizerSpec Spec, AttributeData Attribute)>();
        var metrics = new List<MetricKind>();
        var customMetrics = new List<CustomMetricSpec>();
        AttributeData? metricsAttribute = null;
        var outputAttributes = new List<(AttributeData Attribute, string Layer, LossSpec Loss, double Weight, List<MetricKind> Metrics, List<CustomMetricSpec> Custom, int TopK, double Threshold)>();
        int topK = 5;
        double threshold = 0.5;

        foreach (var attribute in modelAttributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var location = AttributeLocation(attribute, cancellationToken);
            switch (attribute.AttributeClass!.Name)
            {
                case "DenseAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 2) break; // the compiler reports the bad arguments
                    var layer = Declare(attribute, LayerKind.Dense, "dense", location);
                    layer.Units = attribute.ConstructorArguments[0].Value is int u ? u : 0;
                    layer.Activation = (ActivationKind)(attribute.ConstructorArguments[1].Value is int a ? a : 0);
                    layer.UseBias = Named(attribute, "UseBias", true);
                    CheckUnits(layer);
                    if (!System.Enum.IsDefined(typeof(ActivationKind), layer.Activation))
                        Report(Descriptors.InvalidHyperparameter, location, $"The activation of layer '{layer.Name}'", (int)layer.Activation, "one of the Activation values");
                    break;
                }
                case "ActivationAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 1) break;
                    var layer = Declare(attribute, LayerKind.Activation, "activation", location);
                    layer.Activation = (ActivationKind)(attribute.ConstructorArguments[0].Value is int a ? a : 0);
                    if (!System.Enum.IsDefined(typeof(ActivationKind), layer.Activation))
                        Report(Descriptors.InvalidHyperparameter, location, $"The activation of layer '{layer.Name}'", (int)layer.Activation, "one of the Activation values");
                    break;
                }
                case "BatchNormalizationAttribute":
                {
                    var layer = Declare(attribute, LayerKind.BatchNormalization, "batch_normalization", location);
                    layer.Momentum = Named(attribute, "Momentum", 0.99);
                    layer.Epsilon = Named(attribute, "Epsilon", 1e-3);
                    layer.Center = Named(attribute, "Center", true);
                    layer.Scale = Named(attribute, "Scale", true);
                    if (!(layer.Momentum >= 0 && layer.Momentum <= 1)) Report(Descriptors.InvalidHyperparameter, location, "Momentum", layer.Momentum, "a value in [0, 1]");
                    if (!(layer.Epsilon > 0) || double.IsInfinity(layer.Epsilon)) Report(Descriptors.InvalidHyperparameter, location, "Epsilon", layer.Epsilon, "a finite value > 0");
                    break;
                }
                case "DropoutAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 1) break;
                    var layer = Declare(attribute, LayerKind.Dropout, "dropout", location);
                    layer.Rate = attribute.ConstructorArguments[0].Value is double r ? r : 0;
                    if (!(layer.Rate >= 0 && layer.Rate < 1)) Report(Descriptors.InvalidHyperparameter, location, "Rate", layer.Rate, "a value in [0, 1)");
                    break;
                }
                case "LstmAttribute" or "GruAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 1) break;
                    bool lstm = attribute.AttributeClass!.Name == "LstmAttribute";
                    var layer = Declare(attribute, lstm ? LayerKind.Lstm : LayerKind.Gru, lstm ? "lstm" : "gru", location);
                    layer.Units = attribute.ConstructorArguments[0].Value is int u ? u : 0;
                    layer.ReturnSequences = Named(attribute, "ReturnSequences", false);
                    layer.GoBackwards = Named(attribute, "GoBackwards", false);
                    CheckUnits(layer);
                    break;
                }
                case "FlattenAttribute":
                    Declare(attribute, LayerKind.Flatten, "flatten", location);
                    break;
                case "ReshapeAttribute":
                {
                    var layer = Declare(attribute, LayerKind.Reshape, "reshape", location);
                    layer.TargetShape = IntArray(attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0] : default);
                    break;
                }
                case "EmbeddingAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 2) break;
                    var layer = Declare(attribute, LayerKind.Embedding, "embedding", location);
                    layer.InputDim = attribute.ConstructorArguments[0].Value is int v ? v : 0;
                    layer.Units = attribute.ConstructorArguments[1].Value is int d ? d : 0;
                    layer.MaskZero = Named(attribute, "MaskZero", false);
                    if (layer.InputDim <= 0) Report(Descriptors.InvalidHyperparameter, location, "InputDim", layer.InputDim, "a vocabulary size of at least 1");
                    CheckUnits(layer);
                    break;
                }
                case "ConcatenateAttribute" or "AddAttribute":
                {
                    bool concatenate = attribute.AttributeClass!.Name == "ConcatenateAttribute";
                    var from = StringArray(attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0] : default);
                    var layer = Declare(attribute, concatenate ? LayerKind.Concatenate : LayerKind.Add, concatenate ? "concatenate" : "add", location, from);
                    if (from.Length < 2)
                        Report(Descriptors.InvalidHyperparameter, location, $"The inputs of layer '{layer.Name}'", from.Length == 0 ? "none" : "\"" + string.Join("\", \"", from) + "\"", "at least two layer names");
                    break;
                }
                case "LossAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 1) break;
                    lossAttribute = attribute;
                    loss = ParseLoss(attribute, location, Report);
                    break;
                }
                case "OutputAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 2) break;
                    string layer = attribute.ConstructorArguments[0].Value as string ?? "";
                    var outputLoss = ParseLoss(attribute, location, Report);
                    double weight = Named(attribute, "Weight", 1.0);
                    if (!(weight >= 0) || double.IsInfinity(weight)) Report(Descriptors.InvalidHyperparameter, location, "Weight", weight, "a finite value >= 0");
                    var outputMetrics = new List<MetricKind>();
                    var outputCustom = new List<CustomMetricSpec>();
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key == "Metrics") ParseMetricKinds(named.Value, outputMetrics, location, Report);
                        if (named.Key == "CustomMetrics") ParseCustomMetrics(named.Value, outputMetrics, outputCustom, location, Report);
                    }
                    outputAttributes.Add((attribute, layer, outputLoss, weight, outputMetrics, outputCustom, ParseTopK(attribute, location, Report), ParseThreshold(attribute, location, Report)));
                    break;
                }
                case "SgdAttribute" or "AdamAttribute" or "AdamWAttribute" or "RmsPropAttribute" or "AdagradAttribute":
                    optimizers.Add((ParseOptimizer(attribute, location, Report), attribute));
                    break;
                case "MetricsAttribute":
                {
                    metricsAttribute = attribute;
                    topK = ParseTopK(attribute, location, Report);
                    threshold = ParseThreshold(attribute, location, Report);
                    if (attribute.ConstructorArguments.Length < 1 || attribute.ConstructorArguments[0].IsNull) break;
                    ParseMetricKinds(attribute.ConstructorArguments[0], metrics, location, Report);
                    foreach (var named in attribute.NamedArguments)
                        if (named.Key == "Custom") ParseCustomMetrics(named.Value, metrics, customMetrics, location, Report);
                    break;
                }
            }
        }

        void CheckUnits(DeclaredLayer layer)
        {
            if (layer.Units > 0) return;
            Report(Descriptors.NonPositiveUnits, layer.Location, layer.Name, layer.Units);
            layer.Units = 1;
        }

        if (declared.Count == 0) Report(Descriptors.NoLayers, modelLocation, typeName);
        if (outputAttributes.Count == 0 && loss is null) Report(Descriptors.MissingLoss, modelLocation, typeName);
        if (outputAttributes.Count > 0 && (lossAttribute is not null || metricsAttribute is not null))
            Report(Descriptors.OutputsWithModelLoss, AttributeLocation(lossAttribute ?? metricsAttribute!, cancellationToken), lossAttribute is not null ? "[Loss]" : "[Metrics]");
        if (optimizers.Count == 0) Report(Descriptors.MissingOptimizer, modelLocation, typeName);
        if (optimizers.Count > 1)
            Report(Descriptors.SeveralOptimizers, AttributeLocation(optimizers[1].Attribute, cancellationToken), typeName, optimizers.Count,
                string.Join(", ", optimizers.Select(o => o.Attribute.AttributeClass!.Name.Replace("Attribute", ""))));

        // The graph: names, order, shapes, outputs. Each step needs the one before to have succeeded.
        var graph = declared.Count > 0 && inputsValid
            ? LayerGraph.Build(typeName, inputs.Select(i => (i.Name, i.Shape)).ToList(), declared, modelLocation, Report) : null;
        var outputs = new List<OutputSpec>();
        if (graph is not null)
        {
            var requested = outputAttributes.Count > 0
                ? outputAttributes.Select(o => (o.Layer, o.Loss, o.Weight, o.Metrics, o.Custom, o.TopK, o.Threshold, Location: AttributeLocation(o.Attribute, cancellationToken))).ToList()
                : loss is null ? [] : [(declared[declared.Count - 1].Name, loss, 1.0, metrics, customMetrics, topK, threshold, AttributeLocation(lossAttribute!, cancellationToken))];
            foreach (var (layerName, outputLoss, weight, outputMetrics, custom, k, cut, location) in requested)
            {
                int index = graph.IndexOf(layerName);
                if (index < 0)
                {
                    Report(Descriptors.UnknownLayer, location, "[Output]", layerName, graph.KnownNames);
                    continue;
                }
                if (outputs.Any(o => o.Layer == index))
                {
                    Report(Descriptors.InvalidHyperparameter, location, "[Output]", "\"" + layerName + "\"", "one [Output] per layer");
                    continue;
                }
                var layer = graph.Layers[index];
                string property = PascalCase(layerName);
                if (graph.Source(index) < 0)
                    Report(Descriptors.InvalidHyperparameter, location, $"The output '{layerName}'", "the model's input, unchanged", "a layer with weights between the input and the output");
                else if (layer.Shape.Length != 1)
                    Report(Descriptors.InvalidHyperparameter, location, $"The output '{layerName}'", "of shape (" + string.Join(", ", layer.Shape) + ")",
                        "flat predictions: the last recurrent layer must not return sequences, or end with a Flatten or a Dense layer after one that does");
                else if (outputAttributes.Count > 1 && (!IsFreeMemberName(property)
                    || outputs.Any(o => o.PropertyName == property || o.PropertyName == property + "Result" || o.PropertyName + "Result" == property)))
                    Report(Descriptors.InvalidHyperparameter, location, $"The output '{layerName}'", "named \"" + property + "\" in results",
                        "a layer name that becomes a distinct C# identifier, not a member of the generated records such as Loss, From or Equals (e.g. \"price\" gives result.Price)");
                else
                {
                    var activation = graph.EffectiveActivation(index);
                    CheckLossFitsOutput(outputLoss, layer.Width, activation, location, Report);
                    CheckMetricsFit(outputMetrics, outputLoss, layer.Width, outputAttributes.Count > 0 ? location : metricsAttribute is null ? null : AttributeLocation(metricsAttribute, cancellationToken), Report);
                    outputs.Add(new OutputSpec(index, layerName, property, outputLoss, weight, outputMetrics.ToEquatableArray(), custom.ToEquatableArray(), k, cut));
                }
            }
            // An unused layer or input is worth reporting only once the outputs are known.
            if (!diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            {
                graph.CheckEveryLayerUsed(outputs.Select(o => o.Layer));
                for (int k = 0; k < inputs.Count; k++)
                    if (!graph.Layers.Any(l => l.From.Contains(-1 - k)))
                        Report(Descriptors.UnusedInput, inputs[k].Location, inputs[k].Name);
            }
            if (inputs.Count > 1)
            {
                var properties = new HashSet<string>();
                foreach (var (name, _, location) in inputs)
                {
                    string property = PascalCase(name);
                    if (!IsFreeMemberName(property) || !properties.Add(property))
                        Report(Descriptors.InvalidHyperparameter, location, $"The input '{name}'", "named \"" + property + "\" in typed features",
                            "a name that becomes a distinct C# identifier, not a member of the generated records such as Join or Equals (e.g. \"text\" gives x.Text)");
                }
            }
        }

        bool hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
        ModelSpec? spec = hasErrors || graph is null ? null : new ModelSpec(
            symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(NamespaceFormat),
            typeName,
            declaration is RecordDeclarationSyntax ? "record" : "class",
            symbol.TypeParameters.Select(t => t.Name).ToEquatableArray(),
            Accessibility(symbol.DeclaredAccessibility),
            containing.ToEquatableArray(),
            InputSpecs(inputs.Select(i => (i.Name, i.Shape))),
            graph.Layers.ToEquatableArray(),
            outputs.ToEquatableArray(),
            optimizers[0].Spec);
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>The name From uses for the model's input.</summary>
    internal const string InputName = "input";

    internal delegate void Reporter(DiagnosticDescriptor descriptor, Location? location, params object?[] args);

    /// <summary>
    /// Whether a property of the generated records (Features, Targets, Predictions, EvaluationResult) may take this
    /// name: a valid identifier that is not one of their own members or type names.
    /// </summary>
    private static bool IsFreeMemberName(string name) =>
        name.Length > 0 && SyntaxFacts.IsValidIdentifier(name) && name is not ("Loss" or "From" or "Join" or "Equals" or "GetHashCode" or "ToString"
            or "Deconstruct" or "EqualityContract" or "PrintMembers" or "GetType" or "MemberwiseClone" or "Finalize"
            or "Features" or "Targets" or "Predictions" or "EvaluationResult");

    private static EquatableArray<InputSpec> InputSpecs(IEnumerable<(string Name, int[] Shape)> inputs)
    {
        var specs = new List<InputSpec>();
        int offset = 0;
        foreach (var (name, shape) in inputs)
        {
            var spec = new InputSpec(name, PascalCase(name), shape.ToEquatableArray(), offset);
            specs.Add(spec);
            offset += spec.Width;
        }
        return specs.ToEquatableArray();
    }

    /// <summary>[Loss] or [Output]: the kind is the constructor's last argument, the options are named.</summary>
    private static LossSpec ParseLoss(AttributeData attribute, Location? location, Reporter report)
    {
        var args = attribute.ConstructorArguments;
        var kind = (LossKind)(args[args.Length - 1].Value is int k ? k : 0);
        bool fromLogits = Named(attribute, "FromLogits", false);
        double smoothing = Named(attribute, "LabelSmoothing", 0.0);
        double delta = Named(attribute, "Delta", 1.0);
        var reduction = (ReductionKind)Named(attribute, "Reduction", 0);
        if (!System.Enum.IsDefined(typeof(LossKind), kind))
            report(Descriptors.InvalidHyperparameter, location, "The loss kind", (int)kind, "one of the LossKind values");
        if (!System.Enum.IsDefined(typeof(ReductionKind), reduction))
            report(Descriptors.InvalidHyperparameter, location, "Reduction", (int)reduction, "one of the Reduction values");
        if (!(smoothing >= 0 && smoothing <= 1))
            report(Descriptors.InvalidHyperparameter, location, "LabelSmoothing", smoothing, "a value in [0, 1]");
        else if (smoothing != 0 && kind is not (LossKind.BinaryCrossentropy or LossKind.CategoricalCrossentropy))
            report(Descriptors.InvalidHyperparameter, location, "LabelSmoothing", smoothing, $"0, since {kind} has no label smoothing");
        if (!(delta > 0) || double.IsInfinity(delta))
            report(Descriptors.InvalidHyperparameter, location, "Delta", delta, "a finite value > 0");
        if (fromLogits && kind is LossKind.MeanSquaredError or LossKind.MeanAbsoluteError or LossKind.Huber)
            report(Descriptors.InvalidHyperparameter, location, "FromLogits", "true", $"false, since {kind} takes no logits");
        return new LossSpec(kind, fromLogits, smoothing, delta, reduction);
    }

    private static void ParseMetricKinds(TypedConstant arg, List<MetricKind> metrics, Location? location, Reporter report)
    {
        if (arg.IsNull) return;
        var values = arg.Kind == TypedConstantKind.Array ? arg.Values : ImmutableArray.Create(arg);
        foreach (var value in values)
        {
            var metric = (MetricKind)(value.Value is int m ? m : 0);
            if (!System.Enum.IsDefined(typeof(MetricKind), metric))
                report(Descriptors.InvalidHyperparameter, location, "A metric", (int)metric, "one of the MetricKind values");
            else if (metrics.Contains(metric))
                report(Descriptors.DuplicateMetric, location, metric);
            else
                metrics.Add(metric);
        }
    }

    private static void ParseCustomMetrics(TypedConstant arg, List<MetricKind> metrics, List<CustomMetricSpec> customMetrics, Location? location, Reporter report)
    {
        if (arg.Kind != TypedConstantKind.Array || arg.IsNull) return;
        foreach (var value in arg.Values)
        {
            if (value.Value is not INamedTypeSymbol type) continue;
            string property = type.Name;
            bool derives = false;
            for (var b = type.BaseType; b is not null; b = b.BaseType)
                if (b.Name == "Metric" && b.ContainingNamespace?.ToDisplayString() == AttributeNamespace) derives = true;
            bool constructible = !type.IsAbstract && !type.IsGenericType && type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Internal);
            if (!derives || !constructible)
                report(Descriptors.InvalidCustomMetric, location, type.ToDisplayString(), derives ? "it needs a public parameterless constructor and must not be abstract or generic" : "it does not derive from Gen.Metric");
            else if (property == "Loss" || metrics.Any(m => m.ToString() == property) || customMetrics.Any(c => c.PropertyName == property))
                report(Descriptors.DuplicateMetric, location, property);
            else
                customMetrics.Add(new CustomMetricSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), property));
        }
    }

    private static int ParseTopK(AttributeData attribute, Location? location, Reporter report)
    {
        int k = Named(attribute, "TopK", 5);
        if (k < 1) report(Descriptors.InvalidHyperparameter, location, "TopK", k, "at least 1");
        return k;
    }

    private static double ParseThreshold(AttributeData attribute, Location? location, Reporter report)
    {
        double threshold = Named(attribute, "Threshold", 0.5);
        if (double.IsNaN(threshold) || double.IsInfinity(threshold)) report(Descriptors.InvalidHyperparameter, location, "Threshold", threshold, "a finite value");
        return threshold;
    }

    private static int[] IntArray(TypedConstant arg) =>
        arg.Kind == TypedConstantKind.Array && !arg.IsNull ? arg.Values.Select(v => v.Value is int i ? i : 0).ToArray() : [];

    private static string[] StringArray(TypedConstant arg) =>
        arg.Kind == TypedConstantKind.Array && !arg.IsNull ? arg.Values.Select(v => v.Value as string ?? "").ToArray() : [];

    /// <summary>"price_head" -> "PriceHead": an output's property in typed targets, predictions and results.</summary>
    internal static string PascalCase(string name)
    {
        var text = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }
            text.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return text.ToString();
    }

    /// <summary>Any optimizer attribute: its own hyperparameters (Keras's defaults) and the options all share.</summary>
    private static OptimizerSpec ParseOptimizer(AttributeData attribute, Location? location, Reporter report)
    {
        var kind = attribute.AttributeClass!.Name switch
        {
            "AdamAttribute" => OptimizerKind.Adam,
            "AdamWAttribute" => OptimizerKind.AdamW,
            "RmsPropAttribute" => OptimizerKind.RmsProp,
            "AdagradAttribute" => OptimizerKind.Adagrad,
            _ => OptimizerKind.Sgd,
        };
        double defaultRate = kind == OptimizerKind.Sgd ? 0.01 : 0.001;
        var spec = new OptimizerSpec(
            kind,
            Named(attribute, "LearningRate", defaultRate),
            Beta1: Named(attribute, "Beta1", 0.9),
            Beta2: Named(attribute, "Beta2", 0.999),
            Epsilon: Named(attribute, "Epsilon", 1e-7),
            Amsgrad: Named(attribute, "Amsgrad", false),
            Momentum: Named(attribute, "Momentum", 0.0),
            Nesterov: Named(attribute, "Nesterov", false),
            Rho: Named(attribute, "Rho", 0.9),
            Centered: Named(attribute, "Centered", false),
            InitialAccumulatorValue: Named(attribute, "InitialAccumulatorValue", 0.1),
            WeightDecay: Named(attribute, "WeightDecay", kind == OptimizerKind.AdamW ? 0.004 : 0.0),
            ClipNorm: Named(attribute, "ClipNorm", 0.0),
            ClipValue: Named(attribute, "ClipValue", 0.0),
            GlobalClipNorm: Named(attribute, "GlobalClipNorm", 0.0),
            GradientAccumulationSteps: Named(attribute, "GradientAccumulationSteps", 0),
            UseEma: Named(attribute, "UseEma", false),
            EmaMomentum: Named(attribute, "EmaMomentum", 0.99),
            EmaOverwriteFrequency: Named(attribute, "EmaOverwriteFrequency", 0),
            LossScaleFactor: Named(attribute, "LossScaleFactor", 0.0));

        void AtLeastZero(string name, double value)
        {
            if (!(value >= 0) || double.IsInfinity(value)) report(Descriptors.InvalidHyperparameter, location, name, value, "a finite value >= 0");
        }
        void UnitInterval(string name, double value, bool includeOne)
        {
            if (!(value >= 0 && (includeOne ? value <= 1 : value < 1)))
                report(Descriptors.InvalidHyperparameter, location, name, value, includeOne ? "a value in [0, 1]" : "a value in [0, 1)");
        }

        AtLeastZero("LearningRate", spec.LearningRate);
        AtLeastZero("WeightDecay", spec.WeightDecay);
        AtLeastZero("ClipNorm", spec.ClipNorm);
        AtLeastZero("ClipValue", spec.ClipValue);
        AtLeastZero("GlobalClipNorm", spec.GlobalClipNorm);
        AtLeastZero("LossScaleFactor", spec.LossScaleFactor);
        UnitInterval("EmaMomentum", spec.EmaMomentum, includeOne: true);
        if (spec.EmaOverwriteFrequency < 0) report(Descriptors.InvalidHyperparameter, location, "EmaOverwriteFrequency", spec.EmaOverwriteFrequency, "0 (off) or a positive number of steps");
        if (spec.GradientAccumulationSteps is < 0 or 1)
            report(Descriptors.InvalidHyperparameter, location, "GradientAccumulationSteps", spec.GradientAccumulationSteps, "0 (off) or at least 2");
        var clips = new List<string>();
        if (spec.ClipNorm > 0) clips.Add("ClipNorm");
        if (spec.ClipValue > 0) clips.Add("ClipValue");
        if (spec.GlobalClipNorm > 0) clips.Add("GlobalClipNorm");
        if (clips.Count > 1) report(Descriptors.SeveralClippingOptions, location, string.Join(", ", clips));
        switch (kind)
        {
            case OptimizerKind.Adam or OptimizerKind.AdamW:
                UnitInterval("Beta1", spec.Beta1, includeOne: false);
                UnitInterval("Beta2", spec.Beta2, includeOne: false);
                AtLeastZero("Epsilon", spec.Epsilon);
                break;
            case OptimizerKind.Sgd:
                UnitInterval("Momentum", spec.Momentum, includeOne: true);
                break;
            case OptimizerKind.RmsProp:
                UnitInterval("Rho", spec.Rho, includeOne: false);
                UnitInterval("Momentum", spec.Momentum, includeOne: true);
                AtLeastZero("Epsilon", spec.Epsilon);
                break;
            case OptimizerKind.Adagrad:
                AtLeastZero("InitialAccumulatorValue", spec.InitialAccumulatorValue);
                AtLeastZero("Epsilon", spec.Epsilon);
                break;
        }
        return spec;
    }

    private static void CheckLossFitsOutput(LossSpec loss, int units, ActivationKind outputActivation, Location? location, Reporter report)
    {
        string lossName = loss.Kind.ToString();
        string activation = outputActivation.ToString();
        void DoesNotFit(string why) => report(Descriptors.LossDoesNotFitOutput, location, lossName, units, activation, why);
        switch (loss.Kind)
        {
            case LossKind.SparseCategoricalCrossentropy or LossKind.CategoricalCrossentropy:
                if (units < 2)
                    DoesNotFit("it needs one unit per class, at least 2 (for two classes with one unit use BinaryCrossentropy)");
                else if (loss.FromLogits && outputActivation == ActivationKind.Softmax)
                    report(Descriptors.ActivatedOutputWithLogitsLoss, location, "softmax", "softmax");
                else if (!loss.FromLogits && outputActivation != ActivationKind.Softmax)
                    DoesNotFit("it takes probabilities; use a softmax output, or set FromLogits = true for raw scores");
                break;
            case LossKind.BinaryCrossentropy:
                if (outputActivation == ActivationKind.Softmax)
                    DoesNotFit(units == 1
                        ? "softmax over one unit is always 1; use a sigmoid output"
                        : "binary cross-entropy treats each unit as its own yes/no; use sigmoid outputs, or CategoricalCrossentropy for one class out of several");
                else if (loss.FromLogits && outputActivation == ActivationKind.Sigmoid)
                    report(Descriptors.ActivatedOutputWithLogitsLoss, location, "sigmoid", "sigmoid");
                else if (!loss.FromLogits && outputActivation != ActivationKind.Sigmoid)
                    DoesNotFit("it takes probabilities; use a sigmoid output, or set FromLogits = true for raw scores");
                break;
        }
    }

    private static void CheckMetricsFit(List<MetricKind> metrics, LossSpec loss, int units, Location? location, Reporter report)
    {
        bool sparse = loss.Kind == LossKind.SparseCategoricalCrossentropy;
        foreach (var metric in metrics)
        {
            string? why = metric switch
            {
                MetricKind.SparseCategoricalAccuracy or MetricKind.SparseTopKCategoricalAccuracy when !sparse => "it compares integer labels, but the loss takes targets of the output's width; use the non-sparse metric",
                MetricKind.SparseCategoricalAccuracy or MetricKind.SparseTopKCategoricalAccuracy => null,
                _ when sparse => "the targets are integer class labels (sparse categorical loss); use SparseCategoricalAccuracy",
                MetricKind.CategoricalAccuracy or MetricKind.TopKCategoricalAccuracy when units < 2 => "it ranks at least 2 units; use BinaryAccuracy for one unit",
                _ => null,
            };
            if (why is not null) report(Descriptors.MetricDoesNotFit, location, metric, why);
        }
    }

    private static bool IsGenAttribute(INamedTypeSymbol? type)
    {
        if (type is null || type.ContainingNamespace?.ToDisplayString() != AttributeNamespace) return false;
        return type.Name is "DenseAttribute" or "BatchNormalizationAttribute" or "DropoutAttribute" or "LstmAttribute" or "GruAttribute"
                or "FlattenAttribute" or "ReshapeAttribute" or "ActivationAttribute" or "EmbeddingAttribute" or "ConcatenateAttribute" or "AddAttribute"
                or "LossAttribute" or "MetricsAttribute" or "OutputAttribute" or "InputAttribute" or "ModelAttribute"
            || type.BaseType?.Name == "OptimizerAttribute";
    }

    internal static T Named<T>(AttributeData attribute, string name, T fallback)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == name && named.Value.Value is T value) return value;
        }
        return fallback;
    }

    private static Location? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static EquatableArray<string> TypeParameters(TypeDeclarationSyntax type) =>
        (type.TypeParameterList?.Parameters.Select(p => p.Identifier.ValueText) ?? []).ToEquatableArray();

    private static string Keyword(TypeDeclarationSyntax type) => type switch
    {
        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    private static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Private => "private",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "internal",
    };
}
