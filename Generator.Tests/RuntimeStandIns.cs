using System.Text;

namespace Gen.Generator.Tests;

/// <summary>
/// Declarations of the runtime's concrete losses and metrics, with the constructors generated code calls,
/// for each one Gen.Runtime does not define yet. Only the missing ones are declared, so once the runtime
/// has a class, generated code compiles against the real one and a changed signature shows up here.
/// Compiled only into the test compilations, never run.
/// </summary>
internal static class RuntimeStandIns
{
    private static readonly (string Name, string Parameters)[] Losses =
    [
        ("MeanSquaredError", ""),
        ("MeanAbsoluteError", ""),
        ("Huber", "float delta"),
        ("BinaryCrossentropy", "bool fromLogits, float labelSmoothing"),
        ("CategoricalCrossentropy", "bool fromLogits, float labelSmoothing"),
        ("SparseCategoricalCrossentropy", "bool fromLogits"),
    ];

    private static readonly Lazy<string> Text = new(Build);

    public static string Source() => Text.Value;

    private static string Build()
    {
        var runtime = typeof(Loss).Assembly;
        var text = new StringBuilder();
        foreach (var (name, parameters) in Losses)
        {
            if (runtime.GetType("Gen." + name) is not null) continue;
            text.AppendLine($$"""
                public sealed class {{name}} : Loss
                {
                    public {{name}}({{parameters}}) { }
                    public override string Name => "{{name}}";
                    protected override float SampleLoss(System.ReadOnlySpan<float> prediction, System.ReadOnlySpan<float> target, System.Span<float> gradient) => throw new System.NotSupportedException();
                }
                """);
        }
        foreach (var kind in Enum.GetNames<MetricKind>())
        {
            if (runtime.GetType($"Gen.{kind}Metric") is not null) continue;
            text.AppendLine($$"""
                public sealed class {{kind}}Metric : Metric
                {
                    public override string Name => "{{kind}}";
                    public override void Update(System.ReadOnlySpan<float> yPred, System.ReadOnlySpan<float> yTrue, System.ReadOnlySpan<float> sampleWeight, int batch) => throw new System.NotSupportedException();
                    public override float Result() => throw new System.NotSupportedException();
                    public override void Reset() => throw new System.NotSupportedException();
                }
                """);
        }
        return text.Length == 0 ? "" : "namespace Gen;\n\n" + text;
    }
}
