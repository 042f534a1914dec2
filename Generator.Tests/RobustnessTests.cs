namespace Gen.Generator.Tests;

/// <summary>
/// The generator runs on every keystroke of broken code: whatever the input, it must not throw (which the
/// compiler reports as CS8785 and which drops every model's code), and valid declarations of unusual
/// shapes must get code that compiles.
/// </summary>
public sealed class RobustnessTests
{
    private const string Rest = """
        [Dense(3, Activation.Softmax)]
        [Loss(LossKind.SparseCategoricalCrossentropy)]
        [Adam]
        """;

    public static TheoryData<string, string> BrokenInputs => new()
    {
        { "units of the wrong type", $"[Model(InputShape = [4])] [Dense(\"64\")] {Rest} public partial class M;" },
        { "activation of the wrong type", $"[Model(InputShape = [4])] [Dense(4, 2.5)] {Rest} public partial class M;" },
        { "Dense without arguments", $"[Model(InputShape = [4])] [Dense] {Rest} public partial class M;" },
        { "Loss without arguments", "[Model(InputShape = [4])] [Dense(3, Activation.Softmax)] [Loss] [Adam] public partial class M;" },
        { "metrics of the wrong type", $"[Model(InputShape = [4])] {Rest} [Metrics(\"accuracy\")] public partial class M;" },
        { "null metrics", $"[Model(InputShape = [4])] {Rest} [Metrics(null)] public partial class M;" },
        { "empty metrics", $"[Model(InputShape = [4])] {Rest} [Metrics] public partial class M;" },
        { "learning rate of the wrong type", "[Model(InputShape = [4])] [Dense(3, Activation.Softmax)] [Loss(LossKind.SparseCategoricalCrossentropy)] [Adam(LearningRate = \"fast\")] public partial class M;" },
        { "NaN learning rate", "[Model(InputShape = [4])] [Dense(3, Activation.Softmax)] [Loss(LossKind.SparseCategoricalCrossentropy)] [Sgd(LearningRate = double.NaN)] public partial class M;" },
        { "undefined activation", $"[Model(InputShape = [4])] [Dense(4, (Activation)99)] {Rest} public partial class M;" },
        { "undefined loss and reduction", "[Model(InputShape = [4])] [Dense(3)] [Loss((LossKind)42, Reduction = (Reduction)7)] [Adam] public partial class M;" },
        { "undefined metric", $"[Model(InputShape = [4])] {Rest} [Metrics((MetricKind)17)] public partial class M;" },
        { "empty input shape", $"[Model(InputShape = [])] {Rest} public partial class M;" },
        { "null input shape", $"[Model(InputShape = null)] {Rest} public partial class M;" },
        { "input shape of the wrong type", $"[Model(InputShape = [1.5])] {Rest} public partial class M;" },
        { "huge rank-2 input shape", $"[Model(InputShape = [65536, 65536])] {Rest} public partial class M;" },
        { "huge input", $"[Model(InputShape = [int.MaxValue])] {Rest} public partial class M;" },
        { "Dense(int.MaxValue)", $"[Model(InputShape = [4])] [Dense(int.MaxValue)] {Rest} public partial class M;" },
        { "two Dense(int.MaxValue)", $"[Model(InputShape = [4])] [Dense(int.MaxValue)] [Dense(int.MaxValue)] {Rest} public partial class M;" },
        { "negative units", $"[Model(InputShape = [4])] [Dense(int.MinValue)] {Rest} public partial class M;" },
        { "Model twice", $"[Model(InputShape = [4])] [Model(InputShape = [4])] {Rest} public partial class M;" },
        { "Model on two partial declarations", $"[Model(InputShape = [4])] {Rest} public partial class M; [Model(InputShape = [4])] public partial class M;" },
        { "Model on a struct", $"[Model(InputShape = [4])] {Rest} public partial struct M;" },
        { "Model on a record struct", $"[Model(InputShape = [4])] {Rest} public partial record struct M;" },
        { "Model on an interface", $"[Model(InputShape = [4])] {Rest} public partial interface M;" },
        { "Model on a method", $"public partial class C {{ [Model(InputShape = [4])] void F() {{ }} }}" },
        { "Model on an enum", "[Model(InputShape = [4])] public enum M { A }" },
        { "unclosed attribute", $"[Model(InputShape = [4])] [Dense(64, Activation.Relu] {Rest} public partial class M;" },
        { "unclosed class", $"[Model(InputShape = [4])] {Rest} public partial class M {{" },
        { "attribute without a class", $"[Model(InputShape = [4])] {Rest}" },
        { "missing semicolon", $"[Model(InputShape = [4])] {Rest} public partial class M" },
        { "unknown attribute", $"[Model(InputShape = [4])] [Conv2D(3)] {Rest} public partial class M;" },
        { "Concatenate without names", $"[Model(InputShape = [4])] [Dense(4)] [Concatenate] {Rest} public partial class M;" },
        { "Concatenate of null", $"[Model(InputShape = [4])] [Dense(4)] [Concatenate(null)] {Rest} public partial class M;" },
        { "Add of a null name", $"[Model(InputShape = [4])] [Dense(4, Name = \"a\")] [Add(\"a\", null)] {Rest} public partial class M;" },
        { "Add of the input and a sequence", $"[Model(InputShape = [4])] [Reshape(2, 2)] [Add(\"input\", \"reshape\")] [Flatten] {Rest} public partial class M;" },
        { "From null", $"[Model(InputShape = [4])] [Dense(4, From = null)] {Rest} public partial class M;" },
        { "From itself", $"[Model(InputShape = [4])] [Dense(4, Name = \"a\", From = \"a\")] {Rest} public partial class M;" },
        { "Reshape without a shape", $"[Model(InputShape = [4])] [Reshape] [Flatten] {Rest} public partial class M;" },
        { "Reshape of null", $"[Model(InputShape = [4])] [Reshape(null)] {Rest} public partial class M;" },
        { "Reshape with two -1", $"[Model(InputShape = [4])] [Reshape(-1, -1)] [Flatten] {Rest} public partial class M;" },
        { "Reshape with zeros", $"[Model(InputShape = [4])] [Reshape(0, 4)] [Flatten] {Rest} public partial class M;" },
        { "Reshape to three axes", $"[Model(InputShape = [8])] [Reshape(2, 2, 2)] [Flatten] {Rest} public partial class M;" },
        { "Embedding of zero size", $"[Model(InputShape = [4])] [Embedding(0, 0)] [Flatten] {Rest} public partial class M;" },
        { "Embedding without arguments", $"[Model(InputShape = [4])] [Embedding] [Flatten] {Rest} public partial class M;" },
        { "Activation without arguments", $"[Model(InputShape = [4])] [Activation] {Rest} public partial class M;" },
        { "Output of null", "[Model(InputShape = [4])] [Dense(3)] [Output(null, LossKind.MeanSquaredError)] [Output(\"dense\", LossKind.MeanSquaredError)] [Adam] public partial class M;" },
        { "Output without a loss", "[Model(InputShape = [4])] [Dense(3)] [Output(\"dense\")] [Adam] public partial class M;" },
        { "Output of the input through a Flatten", "[Model(InputShape = [4])] [Flatten] [Output(\"flatten\", LossKind.MeanSquaredError)] [Adam] public partial class M;" },
        { "Output with a NaN weight", "[Model(InputShape = [4])] [Dense(3, Name = \"a\")] [Dense(3, Name = \"b\", From = \"input\")] [Output(\"a\", LossKind.MeanSquaredError, Weight = double.NaN)] [Output(\"b\", LossKind.MeanSquaredError)] [Adam] public partial class M;" },
        { "two Outputs on one layer", "[Model(InputShape = [4])] [Dense(3)] [Output(\"dense\", LossKind.MeanSquaredError)] [Output(\"dense\", LossKind.MeanAbsoluteError)] [Adam] public partial class M;" },
        { "a long cycle", $"[Model(InputShape = [4])] [Dense(4, Name = \"a\", From = \"c\")] [Dense(4, Name = \"b\")] [Dense(4, Name = \"c\")] {Rest} public partial class M;" },
        { "Input without arguments", $"[Model] [Input] {Rest} public partial class M;" },
        { "Input of null name and shape", $"[Model] [Input(null, null)] {Rest} public partial class M;" },
        { "Input of three axes", $"[Model] [Input(\"a\", 2, 2, 2)] {Rest} public partial class M;" },
        { "Input named like a layer", $"[Model] [Input(\"dense\", 4)] {Rest} public partial class M;" },
        { "outputs named like record members", "[Model(InputShape = [4])] [Dense(2, Name = \"from\")] [Dense(2, Name = \"equals\", From = \"input\")] [Output(\"from\", LossKind.MeanSquaredError)] [Output(\"equals\", LossKind.MeanSquaredError)] [Adam] public partial class M;" },
        { "an output named like another's result type", "[Model(InputShape = [4])] [Dense(2, Name = \"price_result\")] [Dense(2, Name = \"price\", From = \"input\")] [Output(\"price_result\", LossKind.MeanSquaredError)] [Output(\"price\", LossKind.MeanSquaredError)] [Adam] public partial class M;" },
        { "inputs named like record members", $"[Model] [Input(\"join\", 4)] [Input(\"features\", 4)] [Concatenate(\"join\", \"features\")] {Rest} public partial class M;" },
        { "generic model", $"[Model(InputShape = [4])] {Rest} public partial class M<T>;" },
        { "generic and non-generic model of one name", $"[Model(InputShape = [4])] {Rest} public partial class M<T>; [Model(InputShape = [4])] {Rest} public partial class M;" },
        { "nested in a generic type", $"public partial class Outer<T> {{ [Model(InputShape = [4])] {Rest} public partial class M; }}" },
        { "model in a method body", $"public partial class C {{ void F() {{ [Model(InputShape = [4])] {Rest} partial class M; }} }}" },
    };

    [Theory]
    [MemberData(nameof(BrokenInputs))]
    public void GeneratorNeverThrows(string name, string attributesAndDeclaration)
    {
        var run = GeneratorHarness.Run("using Gen;\nnamespace Tests;\n" + attributesAndDeclaration);

        Assert.True(run.Result.Results.Single().Exception is null, $"{name}: {run.Result.Results.Single().Exception}");
        Assert.DoesNotContain(run.DriverDiagnostics.Concat(run.GeneratorDiagnostics), d => d.Id.StartsWith("CS8785", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> UnusualDeclarations => new()
    {
        { "global namespace", $"using Gen; [Model(InputShape = [4])] {Rest} public partial class M;" },
        { "block namespace", $"using Gen; namespace A.B {{ [Model(InputShape = [4])] {Rest} public partial class M; }}" },
        { "internal sealed model", $"using Gen; namespace A; [Model(InputShape = [4])] {Rest} internal sealed partial class M;" },
        { "record model", $"using Gen; namespace A; [Model(InputShape = [4])] {Rest} public partial record M;" },
        { "model with a body and other parts", $"using Gen; namespace A; [Model(InputShape = [4])] {Rest} public partial class M {{ public int Extra => 1; }} public partial class M {{ }}" },
        { "nested in a static class", $"using Gen; namespace A; public static partial class Outer {{ [Model(InputShape = [4])] {Rest} public partial class M; }}" },
        { "nested in a struct and a record", $"using Gen; namespace A; public partial struct S {{ public partial record R {{ [Model(InputShape = [4])] {Rest} public partial class M; }} }}" },
        { "two models of one name in two containing types", $"using Gen; namespace A; public partial class X {{ [Model(InputShape = [4])] {Rest} public partial class M; }} public partial class Y {{ [Model(InputShape = [4])] {Rest} public partial class M; }}" },
        { "model named by a keyword", $"using Gen; namespace A; [Model(InputShape = [4])] {Rest} public partial class @event;" },
        { "keywords as namespace and containing type", $"using Gen; namespace @class.A; public partial class @struct {{ [Model(InputShape = [4])] {Rest} public partial class M; }}" },
        { "generic model", $"using Gen; namespace A; [Model(InputShape = [4])] {Rest} public partial class M<T, U> where T : class;" },
        { "generic and non-generic model of one name", $"using Gen; namespace A; [Model(InputShape = [4])] {Rest} public partial class M<T>; [Model(InputShape = [4])] {Rest} public partial class M;" },
        { "nested in a generic type", $"using Gen; namespace A; public partial class Outer<T> {{ [Model(InputShape = [4])] {Rest} public partial class M; }}" },
        { "nested in an interface", $"using Gen; namespace A; public partial interface I {{ [Model(InputShape = [4])] {Rest} public partial class M; }}" },
    };

    [Theory]
    [MemberData(nameof(UnusualDeclarations))]
    public void UnusualValidDeclarationsGetCodeThatCompiles(string name, string source)
    {
        var inputErrors = GeneratorHarness.CreateCompilation(source).GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.True(!inputErrors.Any(), $"{name}: the test input itself does not compile: {string.Join("; ", inputErrors)}");

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.NotEmpty(run.Sources);
        Assert.True(run.CompilationDiagnostics.IsEmpty, $"{name}: {string.Join("\n", run.CompilationDiagnostics)}");
    }
}
