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
        if (inputShape.Count == 0)
            Report(Descriptors.InvalidInputShape, modelLocation, typeName, "", "give the shape of one sample, e.g. [Model(InputShape = [784])]");
        else if (inputShape.Any(d => d <= 0))
            Report(Descriptors.InvalidInputShape, modelLocation, typeName, string.Join(", ", inputShape), "every dimension must be positive");
        else if (inputShape.Count > 2)
            Report(Descriptors.InvalidInputShape, modelLocation, typeName, string.Join(", ", inputShape), "give flat samples such as [" + inputShape.Aggregate(1L, (p, d) => p * d) + "], or sequences (timesteps, features) for an LSTM");

        var layers = new List<LayerSpec>();
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
            else if (layers.Any(l => l.Name == name))
                Report(Descriptors.DuplicateLayerName, location, name);
            return name;
        }
        LossSpec? loss = null;
        AttributeData? lossAttribute = null;
        var optimizers = new List<(OptimizerSpec Spec, AttributeData Attribute)>();
        var metrics = new List<MetricKind>();
        var customMetrics = new List<CustomMetricSpec>();
        AttributeData? metricsAttribute = null;
        int inputs = inputShape.Count is 1 or 2 && inputShape[inputShape.Count - 1] > 0 ? inputShape[inputShape.Count - 1] : 1;
        // 0 for flat samples; the number of timesteps while the samples are sequences (timesteps, inputs).
        int timesteps = inputShape.Count == 2 && inputShape[0] > 0 ? inputShape[0] : 0;

        void RequireFlat(string name, Location? location)
        {
            if (timesteps > 0)
                Report(Descriptors.InvalidHyperparameter, location, $"The input of layer '{name}'", $"a sequence ({timesteps}, {inputs})",
                    "flat samples: put an Lstm or Gru without ReturnSequences before it");
            timesteps = 0; // reported once: the layers after it see flat samples
        }
        // Sizes in long: the emitted offsets and arena lengths are ints, valid only up to int.MaxValue.
        long parameterCount = 0, activationWidth = 0;
        bool tooLarge = false;

        foreach (var attribute in modelAttributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var location = AttributeLocation(attribute, cancellationToken);
            switch (attribute.AttributeClass!.Name)
            {
                case "DenseAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 2) break; // the compiler reports the bad arguments
                    int units = attribute.ConstructorArguments[0].Value is int u ? u : 0;
                    var activation = (ActivationKind)(attribute.ConstructorArguments[1].Value is int a ? a : 0);
                    bool useBias = Named(attribute, "UseBias", true);
                    int index = layers.Count;
                    string name = LayerName(attribute, "dense", location);
                    RequireFlat(name, location);
                    if (units <= 0)
                    {
                        Report(Descriptors.NonPositiveUnits, location, name, units);
                        units = 1;
                    }
                    if (!System.Enum.IsDefined(typeof(ActivationKind), activation))
                        Report(Descriptors.InvalidHyperparameter, location, $"The activation of layer '{name}'", (int)activation, "one of the Activation values");
                    parameterCount += (long)inputs * units + (useBias ? units : 0);
                    activationWidth += activation == ActivationKind.Linear ? units : 2L * units; // z, and a unless linear
                    if (!tooLarge && (parameterCount > int.MaxValue || activationWidth > int.MaxValue))
                    {
                        tooLarge = true;
                        Report(Descriptors.ModelTooLarge, location, typeName, name, Count(parameterCount), Count(activationWidth), Count(int.MaxValue));
                    }
                    layers.Add(new LayerSpec(index, name, inputs, units, activation, useBias));
                    inputs = units;
                    break;
                }
                case "BatchNormalizationAttribute":
                {
                    string name = LayerName(attribute, "batch_normalization", location);
                    RequireFlat(name, location);
                    double momentum = Named(attribute, "Momentum", 0.99), epsilon = Named(attribute, "Epsilon", 1e-3);
                    bool center = Named(attribute, "Center", true), scale = Named(attribute, "Scale", true);
                    if (!(momentum >= 0 && momentum <= 1)) Report(Descriptors.InvalidHyperparameter, location, "Momentum", momentum, "a value in [0, 1]");
                    if (!(epsilon > 0) || double.IsInfinity(epsilon)) Report(Descriptors.InvalidHyperparameter, location, "Epsilon", epsilon, "a finite value > 0");
                    if (layers.Count == 0)
                        Report(Descriptors.InvalidHyperparameter, location, $"Layer '{name}'", "first", "a layer after a Dense layer (a normalised input layer is not supported yet)");
                    parameterCount += 2L * inputs;
                    activationWidth += inputs;
                    layers.Add(new LayerSpec(layers.Count, name, inputs, inputs, ActivationKind.Linear, false, LayerKind.BatchNormalization,
                        Momentum: momentum, Epsilon: epsilon, Center: center, Scale: scale));
                    break;
                }
                case "DropoutAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 1) break;
                    string name = LayerName(attribute, "dropout", location);
                    RequireFlat(name, location);
                    double rate = attribute.ConstructorArguments[0].Value is double r ? r : 0;
                    if (!(rate >= 0 && rate < 1)) Report(Descriptors.InvalidHyperparameter, location, "Rate", rate, "a value in [0, 1)");
                    if (layers.Count == 0)
                        Report(Descriptors.InvalidHyperparameter, location, $"Layer '{name}'", "first", "a layer after a Dense layer (dropout on the input is not supported yet)");
                    activationWidth += 2L * inputs; // output and mask
                    layers.Add(new LayerSpec(layers.Count, name, inputs, inputs, ActivationKind.Linear, false, LayerKind.Dropout, Rate: rate));
                    break;
                }
                case "LstmAttribute" or "GruAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 1) break;
                    bool lstm = attribute.AttributeClass!.Name == "LstmAttribute";
                    string name = LayerName(attribute, lstm ? "lstm" : "gru", location);
                    int units = attribute.ConstructorArguments[0].Value is int u ? u : 0;
                    bool returnSequences = Named(attribute, "ReturnSequences", false), goBackwards = Named(attribute, "GoBackwards", false);
                    if (units <= 0)
                    {
                        Report(Descriptors.NonPositiveUnits, location, name, units);
                        units = 1;
                    }
                    if (timesteps == 0)
                        Report(Descriptors.InvalidHyperparameter, location, $"The input of layer '{name}'", $"flat ({inputs})",
                            "sequences: give the model InputShape = [timesteps, features], or ReturnSequences = true on the LSTM before");
                    int steps = System.Math.Max(timesteps, 1);
                    parameterCount += lstm ? 4L * units * (inputs + units + 1) : 3L * units * (inputs + units + 2);
                    activationWidth += (returnSequences ? (long)steps * units : units) + 10L * steps * units + 2L * units; // output, cache, scratch (at most)
                    layers.Add(new LayerSpec(layers.Count, name, inputs, units, ActivationKind.Linear, true, lstm ? LayerKind.Lstm : LayerKind.Gru,
                        Timesteps: steps, ReturnSequences: returnSequences, GoBackwards: goBackwards));
                    inputs = units;
                    timesteps = returnSequences ? steps : 0;
                    break;
                }
                case "LossAttribute":
                {
                    if (attribute.ConstructorArguments.Length < 1) break;
                    lossAttribute = attribute;
                    var kind = (LossKind)(attribute.ConstructorArguments[0].Value is int k ? k : 0);
                    bool fromLogits = Named(attribute, "FromLogits", false);
                    double smoothing = Named(attribute, "LabelSmoothing", 0.0);
                    double delta = Named(attribute, "Delta", 1.0);
                    var reduction = (ReductionKind)Named(attribute, "Reduction", 0);
                    if (!System.Enum.IsDefined(typeof(LossKind), kind))
                        Report(Descriptors.InvalidHyperparameter, location, "The loss kind", (int)kind, "one of the LossKind values");
                    if (!System.Enum.IsDefined(typeof(ReductionKind), reduction))
                        Report(Descriptors.InvalidHyperparameter, location, "Reduction", (int)reduction, "one of the Reduction values");
                    if (!(smoothing >= 0 && smoothing <= 1))
                        Report(Descriptors.InvalidHyperparameter, location, "LabelSmoothing", smoothing, "a value in [0, 1]");
                    else if (smoothing != 0 && kind is not (LossKind.BinaryCrossentropy or LossKind.CategoricalCrossentropy))
                        Report(Descriptors.InvalidHyperparameter, location, "LabelSmoothing", smoothing, $"0, since {kind} has no label smoothing");
                    if (!(delta > 0) || double.IsInfinity(delta))
                        Report(Descriptors.InvalidHyperparameter, location, "Delta", delta, "a finite value > 0");
                    if (fromLogits && kind is LossKind.MeanSquaredError or LossKind.MeanAbsoluteError or LossKind.Huber)
                        Report(Descriptors.InvalidHyperparameter, location, "FromLogits", "true", $"false, since {kind} takes no logits");
                    loss = new LossSpec(kind, fromLogits, smoothing, delta, reduction);
                    break;
                }
                case "SgdAttribute" or "AdamAttribute" or "AdamWAttribute" or "RmsPropAttribute" or "AdagradAttribute":
                    optimizers.Add((ParseOptimizer(attribute, location, Report), attribute));
                    break;
                case "MetricsAttribute":
                {
                    metricsAttribute = attribute;
                    if (attribute.ConstructorArguments.Length < 1 || attribute.ConstructorArguments[0].IsNull) break;
                    var arg = attribute.ConstructorArguments[0];
                    var values = arg.Kind == TypedConstantKind.Array ? arg.Values : ImmutableArray.Create(arg);
                    foreach (var value in values)
                    {
                        var metric = (MetricKind)(value.Value is int m ? m : 0);
                        if (!System.Enum.IsDefined(typeof(MetricKind), metric))
                            Report(Descriptors.InvalidHyperparameter, location, "A metric", (int)metric, "one of the MetricKind values");
                        else if (metrics.Contains(metric))
                            Report(Descriptors.DuplicateMetric, location, metric);
                        else
                            metrics.Add(metric);
                    }
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key != "Custom" || named.Value.Kind != TypedConstantKind.Array || named.Value.IsNull) continue;
                        foreach (var value in named.Value.Values)
                        {
                            if (value.Value is not INamedTypeSymbol type) continue;
                            string property = type.Name;
                            bool derives = false;
                            for (var b = type.BaseType; b is not null; b = b.BaseType)
                                if (b.Name == "Metric" && b.ContainingNamespace?.ToDisplayString() == AttributeNamespace) derives = true;
                            bool constructible = !type.IsAbstract && !type.IsGenericType && type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Internal);
                            if (!derives || !constructible)
                                Report(Descriptors.InvalidCustomMetric, location, type.ToDisplayString(), derives ? "it needs a public parameterless constructor and must not be abstract or generic" : "it does not derive from Gen.Metric");
                            else if (property == "Loss" || metrics.Any(m => m.ToString() == property) || customMetrics.Any(c => c.PropertyName == property))
                                Report(Descriptors.DuplicateMetric, location, property);
                            else
                                customMetrics.Add(new CustomMetricSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), property));
                        }
                    }
                    break;
                }
            }
        }

        if (layers.Count == 0) Report(Descriptors.NoLayers, modelLocation, typeName);
        if (loss is null) Report(Descriptors.MissingLoss, modelLocation, typeName);
        if (optimizers.Count == 0) Report(Descriptors.MissingOptimizer, modelLocation, typeName);
        if (optimizers.Count > 1)
            Report(Descriptors.SeveralOptimizers, AttributeLocation(optimizers[1].Attribute, cancellationToken), typeName, optimizers.Count,
                string.Join(", ", optimizers.Select(o => o.Attribute.AttributeClass!.Name.Replace("Attribute", ""))));

        if (layers.Count > 0 && timesteps > 0)
            Report(Descriptors.InvalidHyperparameter, modelLocation, "The model's output", $"a sequence ({timesteps}, {inputs})",
                "flat predictions: the last recurrent layer must not return sequences, or end with a Dense layer after one that does not");
        if (layers.Count > 0 && loss is not null)
        {
            var output = layers[layers.Count - 1];
            CheckLossFitsOutput(loss, output, AttributeLocation(lossAttribute!, cancellationToken), Report);
            if (metricsAttribute is not null)
                CheckMetricsFit(metrics, loss, output, AttributeLocation(metricsAttribute, cancellationToken), Report);
        }

        bool hasErrors = diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
        ModelSpec? spec = hasErrors ? null : new ModelSpec(
            symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(NamespaceFormat),
            typeName,
            declaration is RecordDeclarationSyntax ? "record" : "class",
            symbol.TypeParameters.Select(t => t.Name).ToEquatableArray(),
            Accessibility(symbol.DeclaredAccessibility),
            containing.ToEquatableArray(),
            inputShape.ToEquatableArray(),
            layers.ToEquatableArray(),
            loss!,
            optimizers[0].Spec,
            metrics.ToEquatableArray(),
            customMetrics.ToEquatableArray());
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    private delegate void Reporter(DiagnosticDescriptor descriptor, Location? location, params object?[] args);

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

    private static void CheckLossFitsOutput(LossSpec loss, LayerSpec output, Location? location, Reporter report)
    {
        string lossName = loss.Kind.ToString();
        string activation = output.Activation.ToString();
        void DoesNotFit(string why) => report(Descriptors.LossDoesNotFitOutput, location, lossName, output.Units, activation, why);
        switch (loss.Kind)
        {
            case LossKind.SparseCategoricalCrossentropy or LossKind.CategoricalCrossentropy:
                if (output.Units < 2)
                    DoesNotFit("it needs one unit per class, at least 2 (for two classes with one unit use BinaryCrossentropy)");
                else if (loss.FromLogits && output.Activation == ActivationKind.Softmax)
                    report(Descriptors.ActivatedOutputWithLogitsLoss, location, "softmax", "softmax");
                else if (!loss.FromLogits && output.Activation != ActivationKind.Softmax)
                    DoesNotFit("it takes probabilities; use a softmax output, or set FromLogits = true for raw scores");
                break;
            case LossKind.BinaryCrossentropy:
                if (output.Activation == ActivationKind.Softmax)
                    DoesNotFit(output.Units == 1
                        ? "softmax over one unit is always 1; use a sigmoid output"
                        : "binary cross-entropy treats each unit as its own yes/no; use sigmoid outputs, or CategoricalCrossentropy for one class out of several");
                else if (loss.FromLogits && output.Activation == ActivationKind.Sigmoid)
                    report(Descriptors.ActivatedOutputWithLogitsLoss, location, "sigmoid", "sigmoid");
                else if (!loss.FromLogits && output.Activation != ActivationKind.Sigmoid)
                    DoesNotFit("it takes probabilities; use a sigmoid output, or set FromLogits = true for raw scores");
                break;
        }
    }

    private static void CheckMetricsFit(List<MetricKind> metrics, LossSpec loss, LayerSpec output, Location? location, Reporter report)
    {
        bool sparse = loss.Kind == LossKind.SparseCategoricalCrossentropy;
        foreach (var metric in metrics)
        {
            string? why = metric switch
            {
                MetricKind.SparseCategoricalAccuracy or MetricKind.SparseTopKCategoricalAccuracy when !sparse => "it compares integer labels, but the loss takes targets of the output's width; use the non-sparse metric",
                MetricKind.SparseCategoricalAccuracy or MetricKind.SparseTopKCategoricalAccuracy => null,
                _ when sparse => "the targets are integer class labels (sparse categorical loss); use SparseCategoricalAccuracy",
                MetricKind.CategoricalAccuracy or MetricKind.TopKCategoricalAccuracy when output.Units < 2 => "it ranks at least 2 units; use BinaryAccuracy for one unit",
                _ => null,
            };
            if (why is not null) report(Descriptors.MetricDoesNotFit, location, metric, why);
        }
    }

    private static bool IsGenAttribute(INamedTypeSymbol? type)
    {
        if (type is null || type.ContainingNamespace?.ToDisplayString() != AttributeNamespace) return false;
        return type.Name is "DenseAttribute" or "BatchNormalizationAttribute" or "DropoutAttribute" or "LstmAttribute" or "GruAttribute" or "LossAttribute" or "MetricsAttribute" or "ModelAttribute"
            || type.BaseType?.Name == "OptimizerAttribute";
    }

    private static T Named<T>(AttributeData attribute, string name, T fallback)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == name && named.Value.Value is T value) return value;
        }
        return fallback;
    }

    private static Location? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

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
