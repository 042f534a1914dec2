using Gen.Generator.Spec;
using static Gen.Generator.Emit.Literals;

namespace Gen.Generator.Ops;

/// <summary>
/// BatchNormalization over the last axis: y = (x − μ)/√(σ² + ε)·γ + β, batch statistics in training (moving ones
/// updated with the momentum), moving statistics in inference. Runtime: <c>Cpu.BatchNorm</c>; tests:
/// Runtime.Tests/LayerKernelTests.cs and the generated models' gradient checks.
/// </summary>
internal sealed class BatchNormalizationOp : LayerOp
{
    public static readonly BatchNormalizationOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan)
    {
        if (l.Scale) plan.Parameter(BufferRole.Kernel, l.KernelSize, $"{l.Name} gamma ({l.Units})");
        if (l.Center) plan.Parameter(BufferRole.Bias, l.BiasSize, $"{l.Name} beta ({l.Units})");
        plan.State(BufferRole.MovingMean, l.Units, $"{l.Name} moving_mean ({l.Units})");
        plan.State(BufferRole.MovingVariance, l.Units, $"{l.Name} moving_variance ({l.Units})");
        plan.Activation(BufferRole.Z, l.Width, $"{l.Name} normalised {OutputShape(l)}");
        // x̂ (rows, units) then 1/√(σ² + ε) (units): at most width + units per sample, since a batch has one sample or more.
        plan.Activation(BufferRole.Cache, l.Width + l.Units, $"{l.Name} x̂ and 1/√(σ² + ε) of the last training batch (Cpu.BatchNorm.CacheSize)");
    }

    public override void Initialise(EmitContext c, LayerSpec l)
    {
        if (l.Scale) c.W.Line($"{c.Parameter("p", l.Index, BufferRole.Kernel)}.Fill(1f); // {l.Name} gamma");
        c.W.Line($"{c.Parameter("state", l.Index, BufferRole.MovingVariance)}.Fill(1f); // {l.Name} moving_variance");
    }

    private static string Cache(EmitContext c, LayerSpec l) =>
        c.Slice(l.Index, BufferRole.Cache, $"{G}Cpu.BatchNorm.CacheSize({Rows(l)}, {l.Units})");

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Local(c.Plan.SourceOf(l.From[0]));
        string z = EmitContext.Camel(c.Const(i, BufferRole.Z));
        c.W.Line($"// {l.Name}: {input} {OutputShape(l)} -> {z} = (x − μ)/√(σ² + {Float(l.Epsilon).TrimEnd('f')})·γ + β over the last axis, batch statistics in training, moving ones in inference");
        c.Declare(i, BufferRole.Z);
        string gamma = l.Scale ? c.Parameter("p", i, BufferRole.Kernel) : "default";
        string beta = l.Center ? c.Parameter("p", i, BufferRole.Bias) : "default";
        string mean = c.Parameter("state", i, BufferRole.MovingMean), variance = c.Parameter("state", i, BufferRole.MovingVariance);
        c.W.Line("if (training)");
        c.W.Line($"    {G}Cpu.BatchNorm.TrainingForward({input}, {gamma}, {beta}, {mean}, {variance}, {z}, {Cache(c, l)}, {Rows(l)}, {l.Units}, momentum: {Float(l.Momentum)}, epsilon: {Float(l.Epsilon)});");
        c.W.Line("else");
        c.W.Line($"    {G}Cpu.BatchNorm.InferenceForward({input}, {gamma}, {beta}, {mean}, {variance}, {z}, {Rows(l)}, {l.Units}, epsilon: {Float(l.Epsilon)});");
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        var into = c.Into(c.Plan.SourceOf(l.From[0]));
        string gamma = l.Scale ? c.Parameter("p", i, BufferRole.Kernel) : "default";
        string dGamma = l.Scale ? c.Parameter("g", i, BufferRole.Kernel) : "default";
        string dBeta = l.Center ? c.Parameter("g", i, BufferRole.Bias) : "default";
        c.W.Line($"// {l.Name}: dγ = Σ dy·x̂, dβ = Σ dy, dx from the batch statistics");
        c.W.Line($"{G}Cpu.BatchNorm.Backward({c.GradientLocal(i)}, {gamma}, {Cache(c, l)}, {into?.Target ?? "default"}, {dGamma}, {dBeta}, {Rows(l)}, {l.Units});");
        c.Then(into);
    }
}
