using Gen.Generator.Spec;
using static Gen.Generator.Emit.Literals;

namespace Gen.Generator.Ops;

/// <summary>
/// Embedding: each of the Timesteps integer indices of a sample picks a row of the (inputs, units) table, initialised
/// uniform in ±0.05; with MaskZero it also writes a (B, T) padding mask, 1 where the index is not 0.
/// Runtime: <c>Cpu.Embedding</c>; tests: Runtime.Tests/LayerKernelTests.cs and Generator.Tests/Numerics/MaskingTests.cs.
/// </summary>
internal sealed class EmbeddingOp : LayerOp
{
    public static readonly EmbeddingOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan)
    {
        plan.Parameter(BufferRole.Kernel, l.KernelSize, $"{l.Name} embeddings ({l.Inputs}, {l.Units})");
        plan.Activation(BufferRole.Z, l.Width, $"{l.Name} the rows looked up {OutputShape(l)}");
        if (l.MaskZero) plan.Activation(BufferRole.Mask, l.Timesteps, $"{l.Name} padding mask: 1 where the index is not 0 (B, {l.Timesteps})");
    }

    public override string Describe(LayerSpec l) => $"{l.Name} (Embedding {l.Inputs} × {l.Units})";

    public override int[] KernelShape(LayerSpec l) => [l.Inputs, l.Units];

    public override void Initialise(EmitContext c, LayerSpec l) =>
        c.W.Line($"{G}Initializers.RandomUniform({c.Parameter("p", l.Index, BufferRole.Kernel)}, -0.05f, 0.05f, unchecked((ulong)seed), stream: {l.Index});");

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Local(c.Plan.SourceOf(l.From[0]));
        string z = EmitContext.Camel(c.Const(i, BufferRole.Z));
        c.W.Line($"// {l.Name}: {input} (B, {l.Timesteps}) indices -> {z} {OutputShape(l)}, rows of the table ({l.Inputs}, {l.Units})");
        c.Declare(i, BufferRole.Z);
        c.W.Line($"{G}Cpu.Embedding.Forward({input}, {c.Parameter("p", i, BufferRole.Kernel)}, {z}, batch * {l.Timesteps}, {l.Inputs}, {l.Units});");
        if (l.MaskZero)
            c.W.Line($"{G}Cpu.Embedding.ZeroMask({input}, {c.Slice(i, BufferRole.Mask)}, batch * {l.Timesteps});");
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Read(c.Plan.SourceOf(l.From[0]));
        c.W.Line($"{G}Cpu.Embedding.Backward({input}, {c.GradientLocal(i)}, {c.Parameter("g", i, BufferRole.Kernel)}, batch * {l.Timesteps}, {l.Inputs}, {l.Units}); // each row's gradient summed into the table");
    }
}
