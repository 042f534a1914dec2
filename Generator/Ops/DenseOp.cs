using Gen.Generator.Spec;
using static Gen.Generator.Emit.Literals;

namespace Gen.Generator.Ops;

/// <summary>
/// Dense: y = activation(x @ W + b), W (inputs, units) Glorot-uniform, b zeros. Runtime: <c>Cpu.Dense</c>;
/// tests: Runtime.Tests/DenseTests.cs and the generated models' gradient checks.
/// </summary>
internal sealed class DenseOp : LayerOp
{
    public static readonly DenseOp Instance = new();

    public override void Plan(LayerSpec l, PlanBuilder plan)
    {
        plan.Parameter(BufferRole.Kernel, l.KernelSize, $"{l.Name} kernel ({l.Inputs}, {l.Units})");
        if (l.BiasSize > 0) plan.Parameter(BufferRole.Bias, l.BiasSize, $"{l.Name} bias ({l.BiasSize})");
        plan.Activation(BufferRole.Z, l.Width, $"{l.Name} x @ W + b {OutputShape(l)}");
        // A linear layer's output is its z.
        if (l.Activation != ActivationKind.Linear) plan.Activation(BufferRole.A, l.Width, $"{l.Name} {SnakeCase(l.Activation.ToString())} {OutputShape(l)}");
    }

    public override string Describe(LayerSpec l) =>
        $"{l.Name} (Dense {l.Units}{(l.Activation == ActivationKind.Linear ? "" : ", " + SnakeCase(l.Activation.ToString()))})";

    public override int[] KernelShape(LayerSpec l) => [l.Inputs, l.Units];

    public override void Initialise(EmitContext c, LayerSpec l) =>
        c.W.Line($"{G}Initializers.GlorotUniform({c.Parameter("p", l.Index, BufferRole.Kernel)}, {l.Inputs}, {l.Units}, unchecked((ulong)seed), stream: {l.Index});");

    public override void Forward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string input = c.Local(c.Plan.SourceOf(l.From[0]));
        string z = EmitContext.Camel(c.Const(i, BufferRole.Z));
        bool activated = l.Activation != ActivationKind.Linear;
        string a = activated ? EmitContext.Camel(c.Const(i, BufferRole.A)) : z;
        c.W.Line($"// {l.Name}: {input} (B, {l.Inputs}) -> {z} = {input} @ W + b (B, {l.Units}){(activated ? $" -> {a} = {SnakeCase(l.Activation.ToString())}({z})" : "")}");
        c.Declare(i, BufferRole.Z);
        string bias = l.UseBias ? c.Parameter("p", i, BufferRole.Bias) : "default";
        c.W.Line($"{G}Cpu.Dense.Forward({input}, {c.Parameter("p", i, BufferRole.Kernel)}, {bias}, {z}, batch, {l.Inputs}, {l.Units});");
        if (activated)
        {
            c.Declare(i, BufferRole.A);
            c.W.Line($"{ActivationClass(l.Activation)}.Forward({z}, {a}, {l.Units});");
        }
    }

    public override void Backward(EmitContext c, LayerSpec l)
    {
        int i = l.Index;
        string d = c.GradientLocal(i);
        string input = c.Read(c.Plan.SourceOf(l.From[0]));
        c.W.Line($"// {l.Name}: dW = xᵀ·dz, db = Σ dz, dx = dz·Wᵀ{(l.Activation != ActivationKind.Linear ? $", dz = {SnakeCase(l.Activation.ToString())}′(z)·{d}" : "")}");
        if (l.Activation != ActivationKind.Linear)
            c.W.Line($"{ActivationClass(l.Activation)}.Backward({c.Slice(i, BufferRole.Z)}, {c.Slice(i, BufferRole.A)}, {d}, {d}, {l.Units}); // in place: now dLoss/dz");
        string dBias = l.UseBias ? c.Parameter("g", i, BufferRole.Bias) : "default";
        c.W.Line($"{G}Cpu.Dense.BackwardParameters({input}, {d}, {c.Parameter("g", i, BufferRole.Kernel)}, {dBias}, batch, {l.Inputs}, {l.Units});");
        var into = c.Into(c.Plan.SourceOf(l.From[0]));
        if (into is { } target)
            c.W.Line($"{G}Cpu.Dense.BackwardInput({d}, {c.Parameter("p", i, BufferRole.Kernel)}, {target.Target}, batch, {l.Inputs}, {l.Units});");
        c.Then(into);
    }
}
