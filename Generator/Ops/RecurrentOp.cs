using Gen.Generator.Spec;
using static Gen.Generator.Emit.Literals;

namespace Gen.Generator.Ops;

/// <summary>
/// LSTM (gates [i, f, c, o]) and GRU (gates [z, r, h], reset after), as Keras computes them: kernel (inputs, gates·units)
/// Glorot-uniform, recurrent kernel (units, gates·units) orthogonal, the LSTM's forget-gate bias 1; every hidden
/// state or the last; optionally time reversed; a padding mask from an Embedding(MaskZero) carries states over
/// masked steps. Runtime: <c>Cpu.Lstm</c>, <c>Cpu.Gru</c> and <c>Cpu.Recurrent</c>; tests: Runtime.Tests/RecurrentTests.cs,
/// Generator.Tests/Numerics/LstmTests.cs, GruTests.cs and MaskingTests.cs.
/// </summary>
internal sealed class RecurrentOp : LayerOp
{
    public static readonly RecurrentOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan)
    {
        plan.Parameter(BufferRole.Kernel, l.KernelSize, $"{l.Name} kernel ({l.Inputs}, {l.Gates * l.Units})");
        plan.Parameter(BufferRole.Recurrent, l.RecurrentSize, $"{l.Name} recurrent_kernel ({l.Units}, {l.Gates * l.Units})");
        plan.Parameter(BufferRole.Bias, l.BiasSize, $"{l.Name} bias ({l.BiasSize})");
        plan.Activation(BufferRole.Z, l.Width, $"{l.Name} {(l.ReturnSequences ? "every hidden state" : "the last hidden state")} {OutputShape(l)}");
        // Lstm's and Gru's CacheSize and ScratchSize are linear in the batch.
        plan.Activation(BufferRole.Cache, l.RecurrentCacheWidth, $"{l.Name} gates and states for backpropagation through time (B, {l.RecurrentCacheWidth})");
        plan.Activation(BufferRole.Scratch, l.RecurrentScratchWidth, $"{l.Name} scratch of the backward pass (B, {l.RecurrentScratchWidth})");
    }

    public override string Describe(LayerSpec l) => $"{l.Name} ({l.KerasType} {l.Units}{(l.ReturnSequences ? ", sequences" : "")})";

    public override int[] KernelShape(LayerSpec l) => [l.Inputs, l.Gates * l.Units];

    public override int[] BiasShape(LayerSpec l) => l.Kind == LayerKind.Gru ? [2, 3 * l.Units] : [l.BiasSize];

    public override void Initialise(EmitContext c, LayerSpec l)
    {
        int g = l.Gates * l.Units;
        c.W.Line($"{G}Initializers.GlorotUniform({c.Parameter("p", l.Index, BufferRole.Kernel)}, {l.Inputs}, {g}, unchecked((ulong)seed), stream: {l.Index});");
        c.W.Line($"{G}Initializers.Orthogonal({c.Parameter("p", l.Index, BufferRole.Recurrent)}, {l.Units}, {g}, unchecked((ulong)seed), stream: {c.Model.Layers.Length + l.Index});");
        if (l.Kind == LayerKind.Lstm)
            c.W.Line($"{G}Initializers.LstmBias(p.Slice({c.Const(l.Index, BufferRole.Bias)}, {g}), {l.Units}); // the forget gate's bias starts at 1");
    }

    /// <summary>A recurrent layer's padding mask argument, when an Embedding with MaskZero feeds it.</summary>
    private static string MaskArgument(EmitContext c, LayerSpec l) =>
        l.Masked ? $", mask: {c.Slice(l.MaskFrom, BufferRole.Mask, $"batch * {l.Timesteps}")}" : "";

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Local(c.Plan.SourceOf(l.From[0]));
        string z = EmitContext.Camel(c.Const(i, BufferRole.Z));
        c.W.Line($"// {l.Name}: {input} (B, {l.Timesteps}, {l.Inputs}) -> {z} {OutputShape(l)}: {l.KerasType}, gates {(l.Kind == LayerKind.Lstm ? "[i, f, c, o]" : "[z, r, h], reset after")}{(l.GoBackwards ? ", time reversed" : "")}");
        c.Declare(i, BufferRole.Z);
        c.W.Line($"{G}Cpu.{l.Kind}.Forward({input}, {c.Parameter("p", i, BufferRole.Kernel)}, {c.Parameter("p", i, BufferRole.Recurrent)}, {c.Parameter("p", i, BufferRole.Bias)}, {z},");
        c.W.Line($"    {c.Slice(i, BufferRole.Cache)}, batch, {l.Timesteps}, {l.Inputs}, {l.Units}, returnSequences: {Bool(l.ReturnSequences)}, goBackwards: {Bool(l.GoBackwards)}{MaskArgument(c, l)});");
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Read(c.Plan.SourceOf(l.From[0]));
        var into = c.Into(c.Plan.SourceOf(l.From[0]));
        c.W.Line($"// {l.Name}: backpropagation through time{(l.GoBackwards ? ", time reversed" : "")}");
        c.W.Line($"{G}Cpu.{l.Kind}.Backward({input}, {c.Parameter("p", i, BufferRole.Kernel)}, {c.Parameter("p", i, BufferRole.Recurrent)}, {c.Slice(i, BufferRole.Cache)}, {c.GradientLocal(i)},");
        c.W.Line($"    {c.Parameter("g", i, BufferRole.Kernel)}, {c.Parameter("g", i, BufferRole.Recurrent)}, {c.Parameter("g", i, BufferRole.Bias)}, {into?.Target ?? "default"},");
        c.W.Line($"    {c.Slice(i, BufferRole.Scratch)}, batch, {l.Timesteps}, {l.Inputs}, {l.Units}, returnSequences: {Bool(l.ReturnSequences)}, goBackwards: {Bool(l.GoBackwards)}{MaskArgument(c, l)});");
        c.Then(into);
    }
}
