using System.Collections.Generic;
using System.Linq;
using Gen.Generator.Emit;
using Gen.Generator.Spec;
using static Gen.Generator.Emit.Literals;

namespace Gen.Generator.Ops;

/// <summary>
/// Everything the emitter knows about one layer kind, in one place: the buffers it owns in the plan, its
/// initialisation, and its forward and backward passes side by side (each starting with the shape comment and the
/// formula). One file per kind; the model emitter composes them in topological order, and in reverse for the backward
/// pass. Validation and shape inference are the parser's (Parse/), which reports them at the attribute.
/// </summary>
internal abstract class LayerOp
{
    protected const string G = "global::Gen.";

    public static LayerOp For(LayerSpec layer) => layer.IsAlias ? ReshapeOp.Instance : layer.Kind switch
    {
        LayerKind.Dense => DenseOp.Instance,
        LayerKind.BatchNormalization => BatchNormalizationOp.Instance,
        LayerKind.Dropout => DropoutOp.Instance,
        LayerKind.Lstm or LayerKind.Gru => RecurrentOp.Instance,
        LayerKind.Activation => ActivationOp.Instance,
        LayerKind.Embedding => EmbeddingOp.Instance,
        LayerKind.Concatenate => ConcatenateOp.Instance,
        LayerKind.Add => AddOp.Instance,
        _ => ReshapeOp.Instance, // Flatten and Reshape: their input's data under another shape
    };

    /// <summary>Adds the layer's buffers to the plan: parameters (kernel, recurrent kernel, bias), state, then per-sample activations.</summary>
    public abstract void Plan(LayerSpec layer, PlanBuilder plan);

    /// <summary>What the layer's main output (its Z buffer) holds, for the layout comment.</summary>
    public virtual string Holds(LayerSpec layer) => "";

    /// <summary>Writes the constructor's initialisation of the layer's parameters and state (zeros need nothing).</summary>
    public virtual void Initialise(EmitContext c, LayerSpec layer) { }

    /// <summary>Writes the forward pass: reads the inputs' locals, declares the local of its output.</summary>
    public abstract void Forward(EmitContext c, LayerSpec layer);

    /// <summary>Writes the backward pass: from the gradient of its output, its parameters' and its inputs' gradients.</summary>
    public abstract void Backward(EmitContext c, LayerSpec layer);

    /// <summary>The layer in a few words, for the class comment.</summary>
    public virtual string Describe(LayerSpec layer) => $"{layer.Name} ({layer.Kind})";

    /// <summary>The Keras shapes of the kernel tensor (kernel, embeddings or gamma).</summary>
    public virtual int[] KernelShape(LayerSpec layer) => [layer.Units];

    /// <summary>The Keras shape of the bias tensor.</summary>
    public virtual int[] BiasShape(LayerSpec layer) => [layer.BiasSize];

    public static string OutputShape(LayerSpec layer) => "(B, " + string.Join(", ", layer.Shape) + ")";

    protected static string ActivationClass(ActivationKind kind) => $"{G}Cpu.Activations.{kind}";

    /// <summary>The rows a last-axis operation sees for a batch: B, or B·T for sequences.</summary>
    protected static string Rows(LayerSpec layer) => layer.Width == layer.Units ? "batch" : $"batch * {layer.Width / layer.Units}";
}

/// <summary>
/// What an op writes with: the writer, the model and its plan, and the names of buffers, slices and locals.
/// In the forward pass each tensor is a local named after its constant (<c>dense1Z</c>); the backward pass reads
/// the same tensors from the arenas under the same names and routes each input's gradient (<see cref="Into"/>).
/// </summary>
internal sealed class EmitContext(SourceWriter writer, ModelSpec model, BufferPlan plan)
{
    private readonly HashSet<int> _written = [];

    public SourceWriter W { get; } = writer;

    public ModelSpec Model { get; } = model;

    public BufferPlan Plan { get; } = plan;

    /// <summary>The constant of a buffer: <c>Dense1Kernel</c>.</summary>
    public string Const(int owner, BufferRole role) => Plan.Get(owner, role).Name;

    /// <summary>A camelCase local for a constant: <c>dense1Z</c>.</summary>
    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    /// <summary>A parameter tensor of layer i (p, or g for its gradient).</summary>
    public string Parameter(string arena, int i, BufferRole role)
    {
        var b = Plan.Get(i, role);
        return $"{arena}.Slice({b.Name}, {Int(b.Length)})";
    }

    /// <summary>The slice of a per-sample buffer for the current batch: capacity × offset, batch × width.</summary>
    public string Slice(int owner, BufferRole role, string? length = null)
    {
        var b = Plan.Get(owner, role);
        string count = length ?? $"batch * {b.Length}";
        return b.Arena switch
        {
            BufferArena.Inputs => $"x.Slice(batch * {b.Name}, {count})",
            BufferArena.Targets => $"y.Slice(batch * {b.Name}, {count})",
            BufferArena.Deltas => $"d.Slice(capacity * {b.Name}, {count})",
            _ => $"s.Slice(capacity * {b.Name}, {count})",
        };
    }

    /// <summary>The buffer holding owner o's output: its activation, else its Z.</summary>
    public BufferRole OutputRole(int o) => Plan.Find(o, BufferRole.A) is not null ? BufferRole.A : BufferRole.Z;

    /// <summary>In the forward pass: the local holding owner o's output (x for the single input).</summary>
    public string Local(int o) => o < 0 && !Model.MultiInput ? "x" : Camel(Const(o, o < 0 ? BufferRole.Input : OutputRole(o)));

    /// <summary>Declares the local of a per-sample buffer of layer i and returns its name.</summary>
    public string Declare(int i, BufferRole role)
    {
        string name = Camel(Const(i, role));
        W.Line($"var {name} = {Slice(i, role)};");
        return name;
    }

    /// <summary>In the backward pass: owner o's output, read from the arena.</summary>
    public string Read(int o) => o < 0 && !Model.MultiInput ? "x" : Slice(o, o < 0 ? BufferRole.Input : OutputRole(o));

    /// <summary>In the backward pass: the gradient of owner o's output.</summary>
    public string Gradient(int o) => Slice(o, BufferRole.Grad);

    /// <summary>The local holding dLoss/d(output) of layer i in the backward pass.</summary>
    public string GradientLocal(int i) => Camel(Const(i, BufferRole.Grad));

    /// <summary>The last axis of layer or input j's output.</summary>
    public int LastAxis(int j)
    {
        var shape = j < 0 ? Model.Input(j).Shape : Model.Layers[j].Shape;
        return shape[shape.Length - 1];
    }

    /// <summary>Marks the outputs' gradients as written by the loss.</summary>
    public void WrittenByLoss(IEnumerable<int> owners)
    {
        foreach (int o in owners) _written.Add(o);
    }

    /// <summary>
    /// Where the gradient of input o goes: straight into its slot the first time, else into the accumulation buffer
    /// and then added (<see cref="Then"/>); null when o needs none (the model's input, or nothing trainable upstream).
    /// </summary>
    public GradientTarget? Into(int o)
    {
        if (o < 0 || !Plan.NeedsGradient[o]) return null;
        if (_written.Add(o)) return new GradientTarget(Gradient(o), null);
        int width = Model.Layers[o].Width;
        return new GradientTarget($"acc.Slice(0, batch * {width})", $"global::System.Numerics.Tensors.TensorPrimitives.Add({Gradient(o)}, acc.Slice(0, batch * {width}), {Gradient(o)});");
    }

    /// <summary>Whether o needs a gradient, and records it as written: true if this is the first write.</summary>
    public bool FirstWrite(int o) => _written.Add(o);

    public void Then(GradientTarget? into)
    {
        if (into?.Then is { } then) W.Line(then);
    }
}

/// <summary>Where an input's gradient is written, and the statement that adds it to an earlier one (or null).</summary>
internal readonly record struct GradientTarget(string Target, string? Then);
