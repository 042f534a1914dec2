using System.Collections.Generic;
using System.Linq;
using System.Text;
using Gen.Generator.Ops;

namespace Gen.Generator.Spec;

/// <summary>The allocation a buffer lives in. Parameters and their gradients share one layout.</summary>
internal enum BufferArena
{
    /// <summary>Trainable weights (and, at the same offsets, their gradients): absolute offsets.</summary>
    Parameters,
    /// <summary>What training updates but the optimizer does not (moving statistics): absolute offsets.</summary>
    State,
    /// <summary>Per sample: the forward pass's outputs, masks and caches; a tensor of per-sample offset k starts at capacity × k.</summary>
    Activations,
    /// <summary>Per sample: dLoss/d(output) of each layer; a tensor of per-sample offset k starts at capacity × k.</summary>
    Deltas,
    /// <summary>Per sample: the batch of inputs x, input by input; the block of per-sample offset k starts at batch × k.</summary>
    Inputs,
    /// <summary>Per sample: the batch of targets y, output by output; the block of per-sample offset k starts at batch × k.</summary>
    Targets,
    /// <summary>What the steps add up until a log reads it (the running loss), in double precision: absolute offsets.</summary>
    Accumulators,
}

/// <summary>What a buffer holds for its owner; a buffer's constant is the owner's name and the role (<c>Dense1Kernel</c>).</summary>
internal enum BufferRole { Kernel, Recurrent, Bias, MovingMean, MovingVariance, Input, Target, Z, A, Mask, Cache, Scratch, Grad, LossSum, LossCount }

/// <summary>
/// One buffer of the step: its constant's name, the arena it lives in, its owner (a layer's index; −1 − k for input k;
/// <see cref="BufferPlan.ModelOwner"/> for the model's own buffers), its offset and length (per sample in the batch
/// arenas), its element type and what it holds.
/// </summary>
internal sealed record BufferSpec(string Name, BufferArena Arena, BufferRole Role, int Owner, int Offset, int Length, string ElementType, string Comment)
{
    /// <summary>Whether offset and length are per sample (the batch arenas).</summary>
    public bool PerSample => Arena is BufferArena.Activations or BufferArena.Deltas or BufferArena.Inputs or BufferArena.Targets;
}

/// <summary>
/// Where every buffer of a model's step lives, computed once per model from its spec and read by every backend: parameters
/// (gradients at the same offsets) and state at absolute offsets; activations and deltas per sample, laid out for the
/// batch capacity so that no address depends on the current batch. Each layer kind declares its own buffers
/// (<see cref="LayerOp.Plan"/>); Flatten, Reshape and a linear Activation own none.
/// </summary>
internal sealed record BufferPlan(
    EquatableArray<BufferSpec> Buffers,
    EquatableArray<string> LayerNames,
    EquatableArray<string> InputNames,
    EquatableArray<int> Source,
    EquatableArray<bool> NeedsGradient,
    int ParameterCount,
    int StateCount,
    int ActivationWidth,
    int GradientWidth,
    int AccumulateWidth,
    int AccumulatorCount)
{
    /// <summary>The owner code of buffers that belong to the model rather than to a layer or input.</summary>
    public const int ModelOwner = int.MinValue;

    /// <summary>The buffer of <paramref name="owner"/> in <paramref name="role"/>, or null.</summary>
    public BufferSpec? Find(int owner, BufferRole role)
    {
        foreach (var b in Buffers)
            if (b.Owner == owner && b.Role == role) return b;
        return null;
    }

    public BufferSpec Get(int owner, BufferRole role) => Find(owner, role) ?? throw new KeyNotFoundException($"No {role} buffer for owner {owner}.");

    /// <summary>The layer (or input code −1 − k) that owns the data of layer j's output, following aliases.</summary>
    public int SourceOf(int j) => j < 0 ? j : Source[j];

    /// <summary>The identifier base of owner o: the layer's or input's name in PascalCase, unique in the model.</summary>
    public string BaseName(int o) => o < 0 ? InputNames[-1 - o] : LayerNames[o];

    public static BufferPlan Create(ModelSpec model)
    {
        var builder = new PlanBuilder(model);
        return builder.Build();
    }

    /// <summary>"batch_normalization_1" -> "BatchNormalization1": letters and digits of each part, each part capitalised.</summary>
    public static string PascalCase(string name)
    {
        var text = new StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (c < 128 && char.IsLetterOrDigit(c))
            {
                text.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else upper = true;
        }
        if (text.Length == 0 || char.IsDigit(text[0])) text.Insert(0, "Layer");
        return text.ToString();
    }
}

/// <summary>Lays out the buffers layer by layer, in the model's topological order; each op adds its own through the Add methods.</summary>
internal sealed class PlanBuilder
{
    private readonly ModelSpec _model;
    private readonly List<BufferSpec> _buffers = [];
    private readonly string[] _layerNames;
    private readonly string[] _inputNames;
    private int _parameters, _state, _activations, _deltas, _inputs, _targets, _accumulators;
    private int _owner;

    public PlanBuilder(ModelSpec model)
    {
        _model = model;
        var used = new HashSet<string>(System.StringComparer.Ordinal);
        string Unique(string name)
        {
            string candidate = name;
            for (int k = 1; !used.Add(candidate); k++) candidate = name + "_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return candidate;
        }
        _inputNames = model.Inputs.Select(i => Unique(BufferPlan.PascalCase(i.Name))).ToArray();
        _layerNames = model.Layers.Select(l => Unique(BufferPlan.PascalCase(l.Name))).ToArray();
    }

    public ModelSpec Model => _model;

    private string Name(BufferRole role) => (_owner == BufferPlan.ModelOwner ? "" : _owner < 0 ? _inputNames[-1 - _owner] : _layerNames[_owner]) + role;

    /// <summary>A trainable tensor of <paramref name="length"/> floats (its gradient has the same offset).</summary>
    public void Parameter(BufferRole role, int length, string comment) => Add(BufferArena.Parameters, role, ref _parameters, length, comment);

    /// <summary>Non-trainable state of <paramref name="length"/> floats.</summary>
    public void State(BufferRole role, int length, string comment) => Add(BufferArena.State, role, ref _state, length, comment);

    /// <summary>A tensor of <paramref name="width"/> floats per sample in the activation arena.</summary>
    public void Activation(BufferRole role, int width, string comment) => Add(BufferArena.Activations, role, ref _activations, width, comment);

    /// <summary>A tensor of <paramref name="width"/> floats per sample in the delta arena.</summary>
    public void Delta(BufferRole role, int width, string comment) => Add(BufferArena.Deltas, role, ref _deltas, width, comment);

    private void Add(BufferArena arena, BufferRole role, ref int next, int length, string comment, string elementType = "float")
    {
        _buffers.Add(new BufferSpec(Name(role), arena, role, _owner, next, length, elementType, comment));
        next += length;
    }

    public BufferPlan Build()
    {
        var model = _model;
        int n = model.Layers.Length;
        var source = new int[n];
        var needsGradient = new bool[n];
        var readers = new int[n];
        int SourceOf(int j) => j < 0 ? j : source[j];

        // Batches come input by input and output by output (part-major), so layers read each input where it is.
        if (model.MultiInput)
            for (int k = 0; k < model.Inputs.Length; k++)
            {
                var input = model.Inputs[k];
                _owner = -1 - k;
                Add(BufferArena.Inputs, BufferRole.Input, ref _inputs, input.Width, $"input {input.Name} (B, {string.Join(", ", input.Shape)}) in x");
            }
        for (int i = 0; i < n; i++)
        {
            var layer = model.Layers[i];
            source[i] = LayerSpec.Owner(model.Layers, i);
            foreach (int j in layer.From)
                if (SourceOf(j) >= 0) readers[SourceOf(j)]++;
            if (layer.IsAlias) continue;
            needsGradient[i] = layer.ParameterCount > 0 || layer.From.Any(j => SourceOf(j) >= 0 && needsGradient[SourceOf(j)]);
            _owner = i;
            LayerOp.For(layer).Plan(layer, this);
        }
        // Every layer's output gets a gradient slot, in the same order.
        for (int i = 0; i < n; i++)
        {
            var layer = model.Layers[i];
            if (layer.IsAlias) continue;
            _owner = i;
            Delta(BufferRole.Grad, layer.Width, $"{layer.Name} {LayerOp.OutputShape(layer)}");
        }
        if (model.MultiOutput)
            foreach (var output in model.Outputs)
            {
                _owner = output.Layer;
                Add(BufferArena.Targets, BufferRole.Target, ref _targets, model.TargetWidth(output), $"output {output.Name}'s targets (B, {model.TargetWidth(output)}) in y");
            }
        // The running loss: Σ batch loss × batch size and Σ batch size since the last reset.
        _owner = BufferPlan.ModelOwner;
        Add(BufferArena.Accumulators, BufferRole.LossSum, ref _accumulators, 1, "Σ batch loss × batch size since the running loss was reset", "double");
        Add(BufferArena.Accumulators, BufferRole.LossCount, ref _accumulators, 1, "Σ batch size since then", "double");
        foreach (var output in model.Outputs) readers[source[output.Layer]]++;
        int accumulate = 0;
        for (int i = 0; i < n; i++)
            if (readers[i] > 1) accumulate = System.Math.Max(accumulate, model.Layers[i].Width);
        return new BufferPlan(_buffers.ToEquatableArray(), _layerNames.ToEquatableArray(), _inputNames.ToEquatableArray(),
            source.ToEquatableArray(), needsGradient.ToEquatableArray(), _parameters, _state, _activations, _deltas, accumulate, _accumulators);
    }
}
