using System.Linq;
using Gen.Generator.Spec;

namespace Gen.Generator.Ops;

/// <summary>
/// Concatenate: the inputs side by side on the last axis; dx of each input is its columns of dy.
/// Runtime: <c>Cpu.Concatenate</c>; tests: Runtime.Tests/LayerKernelTests.cs and Generator.Tests/Numerics/GraphTests.cs.
/// </summary>
internal sealed class ConcatenateOp : LayerOp
{
    public static readonly ConcatenateOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan) => plan.Activation(BufferRole.Z, l.Width, $"{l.Name} the inputs side by side {OutputShape(l)}");

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string z = EmitContext.Camel(c.Const(i, BufferRole.Z));
        c.W.Line($"// {l.Name}: {string.Join(" ‖ ", l.From.Select(j => c.Local(c.Plan.SourceOf(j))))} on the last axis -> {z} {OutputShape(l)}");
        c.Declare(i, BufferRole.Z);
        int offset = 0;
        foreach (int j in l.From)
        {
            int part = c.LastAxis(j);
            c.W.Line($"{G}Cpu.Concatenate.ForwardPart({c.Local(c.Plan.SourceOf(j))}, {z}, {Rows(l)}, {part}, {l.Units}, {offset});");
            offset += part;
        }
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        int offset = 0;
        foreach (int j in l.From)
        {
            int part = c.LastAxis(j);
            var into = c.Into(c.Plan.SourceOf(j));
            if (into is { } target) c.W.Line($"{G}Cpu.Concatenate.BackwardPart({c.GradientLocal(l.Index)}, {target.Target}, {Rows(l)}, {part}, {l.Units}, {offset});");
            c.Then(into);
            offset += part;
        }
    }
}

/// <summary>
/// Add: the element-wise sum of the inputs; each input's gradient is dy.
/// Runtime: <c>Cpu.Add</c>; tests: Generator.Tests/Numerics/GraphTests.cs.
/// </summary>
internal sealed class AddOp : LayerOp
{
    public static readonly AddOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan) => plan.Activation(BufferRole.Z, l.Width, $"{l.Name} the sum of the inputs {OutputShape(l)}");

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        var parts = l.From.Select(j => c.Local(c.Plan.SourceOf(j))).ToList();
        string z = EmitContext.Camel(c.Const(i, BufferRole.Z));
        c.W.Line($"// {l.Name}: {z} = {string.Join(" + ", parts)} {OutputShape(l)}");
        c.Declare(i, BufferRole.Z);
        c.W.Line($"{G}Cpu.Add.Forward({parts[0]}, {parts[1]}, {z});");
        foreach (var part in parts.Skip(2))
            c.W.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({z}, {part}, {z});");
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        string d = c.GradientLocal(l.Index);
        foreach (int j in l.From)
        {
            int o = c.Plan.SourceOf(j);
            if (o < 0 || !c.Plan.NeedsGradient[o]) continue;
            c.W.Line(c.FirstWrite(o)
                ? $"{d}.CopyTo({c.Gradient(o)});"
                : $"global::System.Numerics.Tensors.TensorPrimitives.Add({c.Gradient(o)}, {d}, {c.Gradient(o)});");
        }
    }
}

/// <summary>Flatten and Reshape (and a linear Activation): their input's data under another shape; no storage, no code.</summary>
internal sealed class ReshapeOp : LayerOp
{
    public static readonly ReshapeOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan) { }

    public override void Forward(EmitContext c, LayerSpec l) =>
        c.W.Line($"// {l.Name}: {c.Local(c.Plan.SourceOf(l.From[0]))} seen as {OutputShape(l)}; the data stay where they are");

    public override void Backward(EmitContext c, LayerSpec l) { }
}
