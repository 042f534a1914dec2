using Microsoft.CodeAnalysis;

namespace Gen.Generator.Tests;

/// <summary>
/// The generator runs on every edit: an edit that does not change a model must leave its spec and its
/// generated source cached, and an edit that does must regenerate it.
/// </summary>
public sealed class IncrementalityTests
{
    private const string OtherFile = "Other.cs";
    private const string Other = "namespace Other;\n\npublic class Helper\n{\n    public int Answer() => 41;\n}\n";

    private static readonly IncrementalStepRunReason[] Reused = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    /// <summary>Runs the generator on the sources, then again with one file's text replaced, sharing the driver.</summary>
    private static (GeneratorRun First, GeneratorRun Second) RunTwice(string model, string path, string newText)
    {
        var compilation = GeneratorHarness.CreateCompilation(model, GeneratorHarness.Parse(Other, OtherFile));
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        var oldTree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var edited = compilation.ReplaceSyntaxTree(oldTree, GeneratorHarness.Parse(newText, path));
        return (first, GeneratorHarness.Run(first.Driver, edited));
    }

    private static IEnumerable<IncrementalStepRunReason> ModelReasons(GeneratorRun run) =>
        run.Result.Results.Single().TrackedSteps[ModelGenerator.TrackingNames.Models].SelectMany(s => s.Outputs).Select(o => o.Reason);

    /// <summary>The reasons of the output step that adds the generated source (the one fed by the Models step).</summary>
    private static IEnumerable<IncrementalStepRunReason> SourceOutputReasons(GeneratorRun run) =>
        run.Result.Results.Single().TrackedOutputSteps.SelectMany(p => p.Value)
            .Where(step => step.Inputs.Any(i => i.Source.Name == ModelGenerator.TrackingNames.Models))
            .SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static IEnumerable<IncrementalStepRunReason> AllOutputReasons(GeneratorRun run) =>
        run.Result.Results.Single().TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void AddingACommentToTheModelFileLeavesOutputsCached()
    {
        var (first, second) = RunTwice(SnapshotTests.Regressor, GeneratorHarness.SourcePath, "// Predicts a price.\n" + SnapshotTests.Regressor);

        Assert.NotEmpty(ModelReasons(second));
        Assert.All(ModelReasons(second), reason => Assert.Contains(reason, Reused));
        Assert.NotEmpty(AllOutputReasons(second));
        Assert.All(AllOutputReasons(second), reason => Assert.Contains(reason, Reused));
        Assert.Equal(first.Sources.ToArray(), second.Sources.ToArray());
    }

    [Fact]
    public void EditingAnotherClassLeavesOutputsCached()
    {
        var (first, second) = RunTwice(SnapshotTests.Regressor, OtherFile, Other.Replace("=> 41", "=> 42", StringComparison.Ordinal));

        Assert.NotEmpty(ModelReasons(second));
        Assert.All(ModelReasons(second), reason => Assert.Contains(reason, Reused));
        Assert.NotEmpty(AllOutputReasons(second));
        Assert.All(AllOutputReasons(second), reason => Assert.Contains(reason, Reused));
        Assert.Equal(first.Sources.ToArray(), second.Sources.ToArray());
    }

    [Fact]
    public void ChangingUnitsRegeneratesTheModel()
    {
        string changed = SnapshotTests.Regressor.Replace("[Dense(32, Activation.Relu)]", "[Dense(16, Activation.Relu)]", StringComparison.Ordinal);
        Assert.NotEqual(SnapshotTests.Regressor, changed);

        var (first, second) = RunTwice(SnapshotTests.Regressor, GeneratorHarness.SourcePath, changed);

        Assert.Equal([IncrementalStepRunReason.Modified], ModelReasons(second));
        Assert.Equal([IncrementalStepRunReason.Modified], SourceOutputReasons(second));
        Assert.NotEqual(first.Sources.Single().Text, second.Sources.Single().Text);
        Assert.Contains("dense_1 kernel (64, 16)", second.Sources.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void CommentAboveAModelWithAWarningMovesTheWarningButLeavesTheSourceCached()
    {
        const string model = """
            using Gen;

            namespace Tests;

            [Model(InputShape = [4])]
            [Dense(3, Activation.Softmax)]
            [Loss(LossKind.SparseCategoricalCrossentropy, FromLogits = true)]
            [Adam]
            public partial class Net;
            """;

        var (first, second) = RunTwice(model, GeneratorHarness.SourcePath, "// A comment.\n" + model);

        int Line(GeneratorRun run) => Assert.Single(run.GeneratorDiagnostics).Location.GetLineSpan().StartLinePosition.Line;
        Assert.Equal(Line(first) + 1, Line(second));
        Assert.All(ModelReasons(second), reason => Assert.Contains(reason, Reused));
        Assert.NotEmpty(SourceOutputReasons(second));
        Assert.All(SourceOutputReasons(second), reason => Assert.Contains(reason, Reused));
    }
}
