using Gen.Generator.Spec;
using static Gen.Generator.Emit.Literals;

namespace Gen.Generator.Ops;

/// <summary>
/// Dropout, in training only: y = x·mask, mask 0 with probability rate else 1/(1 − rate), drawn by a counter-based
/// generator keyed by the seed, the training step and the layer, so every backend makes the same masks.
/// Runtime: <c>Cpu.Dropout</c>; tests: Runtime.Tests/LayerKernelTests.cs.
/// </summary>
internal sealed class DropoutOp : LayerOp
{
    public static readonly DropoutOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan)
    {
        plan.Activation(BufferRole.Z, l.Width, $"{l.Name} after dropout {OutputShape(l)}");
        plan.Activation(BufferRole.Mask, l.Width, $"{l.Name} mask: 0 or 1/(1 − rate) {OutputShape(l)}");
    }

    public override string Describe(LayerSpec l) => $"{l.Name} (Dropout {Float(l.Rate).TrimEnd('f')})";

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Local(c.Plan.SourceOf(l.From[0]));
        string z = EmitContext.Camel(c.Const(i, BufferRole.Z));
        c.W.Line($"// {l.Name}: {input} {OutputShape(l)} -> {z} = {input}·mask, mask 0 with probability {Float(l.Rate).TrimEnd('f')} else 1/(1 − rate), in training only");
        c.Declare(i, BufferRole.Z);
        c.W.Line($"{G}Cpu.Dropout.Forward({input}, {z}, {c.Slice(i, BufferRole.Mask)}, {Float(l.Rate)}, _seed, _trainingStep, layerIndex: {i}, training);");
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        var into = c.Into(c.Plan.SourceOf(l.From[0]))!.Value;
        c.W.Line($"{G}Cpu.Dropout.Backward({c.GradientLocal(i)}, {c.Slice(i, BufferRole.Mask)}, {into.Target}); // dx = mask·dy");
        c.Then(into);
    }
}
