using Gen.Generator.Spec;
using static Gen.Generator.Emit.Literals;

namespace Gen.Generator.Ops;

/// <summary>
/// Activation: y = f(x) element-wise (softmax over the last axis); a linear one is an alias and owns nothing.
/// Runtime: <c>Cpu.Activations</c>; tests: Runtime.Tests/ActivationTests.cs.
/// </summary>
internal sealed class ActivationOp : LayerOp
{
    public static readonly ActivationOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan) =>
        plan.Activation(BufferRole.A, l.Width, $"{l.Name} {SnakeCase(l.Activation.ToString())} {OutputShape(l)}");

    public override string Describe(LayerSpec l) => $"{l.Name} (Activation {SnakeCase(l.Activation.ToString())})";

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Local(c.Plan.SourceOf(l.From[0]));
        string a = EmitContext.Camel(c.Const(i, BufferRole.A));
        c.W.Line($"// {l.Name}: {input} {OutputShape(l)} -> {a} = {SnakeCase(l.Activation.ToString())}({input})");
        c.Declare(i, BufferRole.A);
        c.W.Line($"{ActivationClass(l.Activation)}.Forward({input}, {a}, {l.Units});");
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        int source = c.Plan.SourceOf(l.From[0]);
        string input = c.Read(source);
        var into = c.Into(source)!.Value;
        c.W.Line($"{ActivationClass(l.Activation)}.Backward({input}, {c.Slice(i, BufferRole.A)}, {c.GradientLocal(i)}, {into.Target}, {l.Units}); // dx = {SnakeCase(l.Activation.ToString())}′(x)·dy");
        c.Then(into);
    }
}
