using Gen.Generator.Emit.CSharp;
using Gen.Generator.Parse;
using Gen.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gen.Generator;

/// <summary>
/// The pipeline: classes marked [Gen.Model] are parsed into equatable specs; diagnostics and source go to
/// separate outputs. All logic lives in Parse/, Spec/ and Emit/.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names, so tests can check what the pipeline cached.</summary>
    public static class TrackingNames
    {
        public const string Parse = nameof(Parse);
        public const string Models = nameof(Models);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "Gen.ModelAttribute",
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ModelParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        context.RegisterSourceOutput(results.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var models = results
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(TrackingNames.Models);

        context.RegisterSourceOutput(models, static (spc, model) =>
            spc.AddSource(model.FullName + ".g.cs", ModelEmitter.Emit(model)));
    }

    // Generation never reads the current culture: every number is written with the invariant culture
    // (Emit/Literals.cs), so the output never depends on the build machine.
}
