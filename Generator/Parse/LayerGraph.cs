using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Gen.Generator.Diagnostics;
using Gen.Generator.Spec;
using Microsoft.CodeAnalysis;

namespace Gen.Generator.Parse;

/// <summary>A layer as written: its kind, name, the names it reads and its options, before the graph is known.</summary>
internal sealed class DeclaredLayer(LayerKind kind, string name, string[] from, Location? location)
{
    public LayerKind Kind { get; } = kind;
    public string Name { get; } = name;
    public string[] From { get; } = from;
    public Location? Location { get; } = location;
    public int Units { get; set; }
    public ActivationKind Activation { get; set; }
    public bool UseBias { get; set; } = true;
    public double Rate { get; set; }
    public double Momentum { get; set; } = 0.99;
    public double Epsilon { get; set; } = 1e-3;
    public bool Center { get; set; } = true;
    public bool Scale { get; set; } = true;
    public bool ReturnSequences { get; set; }
    public bool GoBackwards { get; set; }
    public int[] TargetShape { get; set; } = [];
    public int InputDim { get; set; }
    public bool MaskZero { get; set; }
}

/// <summary>
/// Resolves the declared layers into a graph: names to indices, a topological order (declaration order wherever the
/// names allow), and every layer's output shape. Reports unknown names, cycles, shape errors and unused layers.
/// </summary>
internal sealed class LayerGraph
{
    private readonly List<DeclaredLayer> _declared;
    private readonly ModelParser.Reporter _report;

    private readonly List<(string Name, int[] Shape)> _inputs;

    private LayerGraph(List<DeclaredLayer> declared, List<(string Name, int[] Shape)> inputs, List<LayerSpec> layers, ModelParser.Reporter report)
    {
        _declared = declared;
        _inputs = inputs;
        Layers = layers;
        _report = report;
    }

    /// <summary>The layers in topological order; each one's <see cref="LayerSpec.From"/> indexes this list (−1: the input).</summary>
    public List<LayerSpec> Layers { get; }

    public string KnownNames => Known(_inputs, _declared);

    /// <summary>Every name From and [Output] may use, quoted, for messages: the inputs, then the layers as written.</summary>
    private static string Known(List<(string Name, int[] Shape)> inputs, List<DeclaredLayer> declared) =>
        string.Join(", ", inputs.Select(i => "\"" + i.Name + "\"").Concat(declared.Select(l => "\"" + l.Name + "\"")));

    /// <summary>The name of layer or input j (input k is −1 − k).</summary>
    private string NameOf(int j) => j < 0 ? _inputs[-1 - j].Name : Layers[j].Name;

    public int IndexOf(string name) => Layers.FindIndex(l => l.Name == name);

    /// <summary>The layer whose storage holds layer i's output (following Flatten, Reshape and linear Activation), or the input's code (−1 − k).</summary>
    public int Source(int i) => LayerSpec.Owner(Layers, i);

    /// <summary>The activation that last shaped layer i's values (through layers that keep values, such as Dropout).</summary>
    public ActivationKind EffectiveActivation(int i)
    {
        while (i >= 0)
        {
            var layer = Layers[i];
            if (layer.Kind is LayerKind.Dense or LayerKind.Activation && layer.Activation != ActivationKind.Linear) return layer.Activation;
            if (layer.Kind is not (LayerKind.Dropout or LayerKind.Flatten or LayerKind.Reshape or LayerKind.Activation)) return ActivationKind.Linear;
            i = layer.From[0];
        }
        return ActivationKind.Linear;
    }

    public static LayerGraph? Build(string typeName, List<(string Name, int[] Shape)> inputs, List<DeclaredLayer> declared, Location? modelLocation, ModelParser.Reporter report)
    {
        // Names: every From must name a layer or the input. Duplicates were reported when declared; the first wins.
        var byName = new Dictionary<string, int>();
        for (int i = 0; i < declared.Count; i++)
            if (!byName.ContainsKey(declared[i].Name)) byName[declared[i].Name] = i;
        string known = Known(inputs, declared);
        var inputCodes = new Dictionary<string, int>();
        for (int k = 0; k < inputs.Count; k++) inputCodes[inputs[k].Name] = -1 - k;
        var from = new int[declared.Count][];
        bool resolved = true;
        for (int i = 0; i < declared.Count; i++)
        {
            from[i] = new int[declared[i].From.Length];
            for (int k = 0; k < from[i].Length; k++)
            {
                string name = declared[i].From[k];
                if (inputCodes.TryGetValue(name, out int code)) from[i][k] = code;
                else if (byName.TryGetValue(name, out int j) && j != i) from[i][k] = j;
                else
                {
                    report(Descriptors.UnknownLayer, declared[i].Location, $"Layer '{declared[i].Name}'", name, j == i && byName.ContainsKey(name) ? "(a layer cannot take its own output) " + known : known);
                    resolved = false;
                }
            }
        }
        if (!resolved) return null;

        // Order: Kahn's algorithm, always taking the earliest declared layer that is ready.
        var order = new List<int>();
        var placed = new bool[declared.Count];
        while (order.Count < declared.Count)
        {
            int next = -1;
            for (int i = 0; i < declared.Count && next < 0; i++)
                if (!placed[i] && from[i].All(j => j < 0 || placed[j])) next = i;
            if (next < 0)
            {
                var stuck = Enumerable.Range(0, declared.Count).Where(i => !placed[i]).ToList();
                report(Descriptors.GraphCycle, declared[stuck[0]].Location, string.Join(", ", stuck.Select(i => "'" + declared[i].Name + "'")));
                return null;
            }
            placed[next] = true;
            order.Add(next);
        }
        var position = new int[declared.Count];
        for (int p = 0; p < order.Count; p++) position[order[p]] = p;

        // Shapes, in order.
        var layers = new List<LayerSpec>();
        var graph = new LayerGraph(declared, inputs, layers, report);
        long parameters = 0, activations = 0;
        bool tooLarge = false, ok = true;
        foreach (int d in order)
        {
            var layer = declared[d];
            var sources = from[d].Select(j => j < 0 ? j : position[j]).ToArray();
            var shapes = sources.Select(j => j < 0 ? inputs[-1 - j].Shape : layers[j].Shape.ToArray()).ToArray();
            var spec = graph.Infer(layer, layers.Count, sources, shapes, ref ok);
            layers.Add(spec);
            parameters += spec.ParameterCount;
            activations += ActivationWidth(spec);
            if (!tooLarge && (parameters > int.MaxValue || activations > int.MaxValue))
            {
                tooLarge = true;
                report(Descriptors.ModelTooLarge, layer.Location, typeName, layer.Name, ModelParser.Count(parameters), ModelParser.Count(activations), ModelParser.Count(int.MaxValue));
            }
        }
        if (ok && !tooLarge) ok = graph.PropagateMasks();
        return ok && !tooLarge ? graph : null;
    }

    /// <summary>
    /// Keras's masks: an Embedding with MaskZero makes one; Dropout and Activation pass it on; an LSTM or GRU reads it
    /// (and passes it on when it returns sequences); Flatten and Reshape drop it, as Keras's layers without mask support
    /// do. Layers that would need it in their own maths (BatchNormalization, Concatenate, Add) report that they cannot.
    /// </summary>
    private bool PropagateMasks()
    {
        var mask = new int[Layers.Count]; // the Embedding whose mask layer i's output carries, or −1
        bool ok = true;
        for (int i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            int incoming = layer.From.Select(j => j < 0 ? -1 : mask[j]).DefaultIfEmpty(-1).Max();
            mask[i] = -1;
            switch (layer.Kind)
            {
                case LayerKind.Embedding:
                    mask[i] = layer.MaskZero ? i : -1;
                    break;
                case LayerKind.Dropout or LayerKind.Activation:
                    mask[i] = incoming;
                    break;
                case LayerKind.Lstm or LayerKind.Gru:
                    if (incoming >= 0)
                    {
                        Layers[i] = layer with { MaskFrom = incoming };
                        mask[i] = layer.ReturnSequences ? incoming : -1;
                    }
                    break;
                case LayerKind.BatchNormalization or LayerKind.Concatenate or LayerKind.Add when incoming >= 0:
                    _report(Descriptors.InvalidHyperparameter, _declared.First(d => d.Name == layer.Name).Location, $"The input of layer '{layer.Name}'",
                        $"masked by '{Layers[incoming].Name}' (MaskZero = true)", $"no mask: {layer.Kind} does not take one yet; put it after the recurrent layer that reads the mask");
                    ok = false;
                    break;
            }
        }
        return ok;
    }

    /// <summary>The floats one sample takes in the activation arena (the emitter's plan, in long).</summary>
    private static long ActivationWidth(LayerSpec layer)
    {
        if (layer.IsAlias) return 0;
        long width = layer.Width;
        return layer.Kind switch
        {
            LayerKind.Dense => layer.Activation == ActivationKind.Linear ? width : 2 * width,
            LayerKind.Dropout => 2 * width, // output and mask
            LayerKind.Embedding when layer.MaskZero => width + layer.Timesteps, // rows and padding mask
            LayerKind.Lstm or LayerKind.Gru => width + (long)layer.RecurrentCacheWidth + layer.RecurrentScratchWidth,
            _ => width,
        };
    }

    private LayerSpec Infer(DeclaredLayer layer, int index, int[] sources, int[][] shapes, ref bool ok)
    {
        int[] shape = shapes.Length > 0 ? shapes[0] : [1];
        int last = shape[shape.Length - 1];
        int width = shape.Aggregate(1, (p, x) => p * x);
        string Shape(int[] s) => "(" + string.Join(", ", s) + ")";
        bool okHere = true;
        void Wrong(string what, string expected)
        {
            _report(Descriptors.InvalidHyperparameter, layer.Location, $"The input of layer '{layer.Name}'", what, expected);
            okHere = false;
        }
        var eq = sources.ToEquatableArray();
        LayerSpec result;
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                if (shape.Length != 1) Wrong($"a sequence {Shape(shape)}", "flat samples: put a Flatten, or an Lstm or Gru without ReturnSequences, before it");
                result = new LayerSpec(index, layer.Name, width, layer.Units, layer.Activation, layer.UseBias, From: eq, Shape: new[] { layer.Units }.ToEquatableArray());
                break;
            case LayerKind.Lstm or LayerKind.Gru:
            {
                int steps = shape.Length == 2 ? shape[0] : 1;
                if (shape.Length != 2) Wrong($"flat {Shape(shape)}", "sequences: give the model InputShape = [timesteps, features], or put a Reshape, an Embedding or a recurrent layer with ReturnSequences = true before it");
                int[] outShape = layer.ReturnSequences ? [steps, layer.Units] : [layer.Units];
                result = new LayerSpec(index, layer.Name, last, layer.Units, ActivationKind.Linear, true, layer.Kind,
                    Timesteps: steps, ReturnSequences: layer.ReturnSequences, GoBackwards: layer.GoBackwards, From: eq, Shape: outShape.ToEquatableArray());
                break;
            }
            case LayerKind.BatchNormalization:
                result = new LayerSpec(index, layer.Name, last, last, ActivationKind.Linear, false, layer.Kind,
                    Momentum: layer.Momentum, Epsilon: layer.Epsilon, Center: layer.Center, Scale: layer.Scale, From: eq, Shape: shape.ToEquatableArray());
                break;
            case LayerKind.Dropout:
                result = new LayerSpec(index, layer.Name, last, last, ActivationKind.Linear, false, layer.Kind, Rate: layer.Rate, From: eq, Shape: shape.ToEquatableArray());
                break;
            case LayerKind.Activation:
                result = new LayerSpec(index, layer.Name, last, last, layer.Activation, false, layer.Kind, From: eq, Shape: shape.ToEquatableArray());
                break;
            case LayerKind.Flatten:
                result = new LayerSpec(index, layer.Name, width, width, ActivationKind.Linear, false, layer.Kind, From: eq, Shape: new[] { width }.ToEquatableArray());
                break;
            case LayerKind.Reshape:
            {
                int[] target = (int[])layer.TargetShape.Clone();
                int unknown = System.Array.IndexOf(target, -1);
                long known = target.Where(x => x != -1).Aggregate(1L, (p, x) => p * x);
                if (unknown >= 0 && known > 0 && width % known == 0) target[unknown] = (int)(width / known);
                long size = target.Aggregate(1L, (p, x) => p * x);
                if (target.Length is < 1 or > 2 || target.Count(x => x == -1) > 1 || target.Any(x => x <= 0 && x != -1) || size != width)
                {
                    _report(Descriptors.InvalidHyperparameter, layer.Location, $"The target shape of layer '{layer.Name}'", Shape(layer.TargetShape),
                        $"one or two positive dimensions (one may be -1) holding the {width} values of its input {Shape(shape)}");
                    okHere = false;
                    target = [width];
                }
                result = new LayerSpec(index, layer.Name, width, target[target.Length - 1], ActivationKind.Linear, false, layer.Kind, From: eq, Shape: target.ToEquatableArray());
                break;
            }
            case LayerKind.Embedding:
            {
                if (sources[0] >= 0) Wrong($"the output of layer '{Layers[sources[0]].Name}'", "one of the model's inputs: integer indices, From = \"" + _inputs[0].Name + "\"");
                else if (shape.Length != 1) Wrong($"of shape {Shape(shape)}", "the model's input of shape (timesteps): one integer index per timestep");
                int steps = shape.Length == 1 ? shape[0] : width;
                result = new LayerSpec(index, layer.Name, layer.InputDim, layer.Units, ActivationKind.Linear, false, layer.Kind, Timesteps: steps, From: eq,
                    Shape: new[] { steps, layer.Units }.ToEquatableArray(), MaskZero: layer.MaskZero);
                break;
            }
            default: // Concatenate, Add
            {
                bool concatenate = layer.Kind == LayerKind.Concatenate;
                int[] outShape = (int[])shape.Clone();
                for (int k = 1; k < shapes.Length && okHere; k++)
                {
                    var other = shapes[k];
                    string? why = null;
                    if (other.Length != shape.Length) why = "their ranks differ";
                    else if (!concatenate && !other.SequenceEqual(shape)) why = "Add needs inputs of one shape";
                    else if (concatenate && !other.Take(other.Length - 1).SequenceEqual(shape.Take(shape.Length - 1))) why = "Concatenate needs inputs that agree on every axis but the last";
                    if (why is not null)
                    {
                        string Input(int j) => $"'{NameOf(sources[j])}' {Shape(shapes[j])}";
                        _report(Descriptors.JoinShapeMismatch, layer.Location, layer.Name, layer.Kind, Input(0) + " and " + Input(k), why);
                        okHere = false;
                    }
                    else if (concatenate) outShape[outShape.Length - 1] += other[other.Length - 1];
                }
                result = new LayerSpec(index, layer.Name, last, outShape[outShape.Length - 1], ActivationKind.Linear, false, layer.Kind, From: eq, Shape: outShape.ToEquatableArray());
                break;
            }
        }
        ok &= okHere;
        return result;
    }

    /// <summary>Reports every layer that no layer reads and no output names.</summary>
    public void CheckEveryLayerUsed(IEnumerable<int> outputs)
    {
        var used = new HashSet<int>(outputs);
        foreach (var layer in Layers)
            foreach (int j in layer.From)
                if (j >= 0) used.Add(j);
        foreach (var layer in Layers)
        {
            if (used.Contains(layer.Index)) continue;
            var declared = _declared.First(d => d.Name == layer.Name);
            _report(Descriptors.UnusedLayer, declared.Location, layer.Name);
        }
    }
}
