using System.Collections.Immutable;
using Gen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gen.Generator.Tests;

/// <summary>One generator run over one compilation: what it produced and what the compiler then says.</summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorDriverRunResult Result,
    ImmutableArray<(string HintName, string Text)> Sources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> DriverDiagnostics,
    Compilation OutputCompilation)
{
    /// <summary>Errors and warnings of the compilation with the generated files added.</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics =>
        OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
}

/// <summary>
/// Drives <see cref="ModelGenerator"/> through <see cref="CSharpGeneratorDriver"/> on source strings, as the
/// compiler does on a user's project, with step tracking on so tests can see what the pipeline cached.
/// </summary>
internal static class GeneratorHarness
{
    public const string SourcePath = "Model.cs";

    // One language version for the trees and the driver; Roslyn rejects a mix.
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static SyntaxTree Parse(string source, string path = SourcePath) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>
    /// A library compilation of <paramref name="source"/> plus the other trees, referencing the framework,
    /// Gen.Attributes and Gen.Runtime, so generated code is checked against the real runtime.
    /// </summary>
    public static CSharpCompilation CreateCompilation(string source, params SyntaxTree[] otherTrees)
    {
        var trees = new List<SyntaxTree> { Parse(source) };
        trees.AddRange(otherTrees);
        return CSharpCompilation.Create("Samples", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string source, params SyntaxTree[] otherTrees) =>
        Run(CreateDriver(), CreateCompilation(source, otherTrees));

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var result = driver.GetRunResult();
        var generator = result.Results.Single();
        var sources = generator.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToImmutableArray();
        return new GeneratorRun(driver, result, sources, generator.Diagnostics, driverDiagnostics, output);
    }

    /// <summary>The source text a diagnostic points at (generator diagnostics carry a path and span, not a tree).</summary>
    public static string LocatedText(Diagnostic diagnostic, string source)
    {
        Assert.True(diagnostic.Location != Location.None, $"{diagnostic.Id} has no location");
        Assert.Equal(SourcePath, diagnostic.Location.GetLineSpan().Path);
        var span = diagnostic.Location.SourceSpan;
        return source.Substring(span.Start, span.Length);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(ModelAttribute).Assembly.Location);
        paths.Add(typeof(IModel).Assembly.Location);
        // The generator's own assembly is on the test host's path but is no part of a user's compilation.
        return paths
            .Where(p => p.Length > 0 && Path.GetFileNameWithoutExtension(p) != "Gen.Generator")
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
