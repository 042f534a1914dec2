using System.Globalization;
using System.Reflection;
using Gen.Generator.Spec;
using Microsoft.CodeAnalysis;

namespace Gen.Generator.Tests;

/// <summary>Invariants of the spec types: enums mirror the public ones; nothing cached holds compiler state.</summary>
public sealed class SpecTests
{
    [Theory]
    [InlineData(typeof(Activation), typeof(ActivationKind))]
    [InlineData(typeof(Gen.LossKind), typeof(Gen.Generator.Spec.LossKind))]
    [InlineData(typeof(Reduction), typeof(ReductionKind))]
    [InlineData(typeof(Gen.MetricKind), typeof(Gen.Generator.Spec.MetricKind))]
    public void SpecEnumMirrorsThePublicEnum(Type publicEnum, Type specEnum)
    {
        // The generator reads attribute arguments as integers, so names and values must match one for one.
        // Activation.Silu is an alias of Swish (same value) that the generator need not know.
        static string[] Members(Type type) =>
            Enum.GetNames(type).Where(name => !(type == typeof(Activation) && name == nameof(Activation.Silu)))
                .Select(name => $"{name} = {Convert.ToInt32(Enum.Parse(type, name), CultureInfo.InvariantCulture)}").ToArray();

        Assert.Equal(Members(publicEnum), Members(specEnum));
    }

    private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(AttributeData)];

    [Theory]
    [InlineData(typeof(ModelSpec))]
    [InlineData(typeof(ParseResult))]
    public void SpecHoldsNoCompilerState(Type root) =>
        Assert.Empty(CompilerStateIn(root));

    [Fact]
    public void CompilerStateCheckFindsALocationInsideAnEquatableArray() =>
        Assert.Contains(CompilerStateIn(typeof(Holder)), path => path.EndsWith("Inner.Where: Location", StringComparison.Ordinal));

    private sealed record Holder(EquatableArray<Inner> Inner);

    private sealed record Inner(int Units, Location Where);

    /// <summary>
    /// Every path from <paramref name="root"/> through properties and fields (and generic arguments, array
    /// elements) to a type that is or holds a symbol, syntax, location or compilation, as
    /// "Root.Member -> Type.Member: Forbidden". Types of the generator and of the tests are walked into;
    /// other types are only checked themselves.
    /// </summary>
    private static List<string> CompilerStateIn(Type root)
    {
        var found = new List<string>();
        var visited = new HashSet<Type> { root };
        Walk(root, "");
        return found;

        void Walk(Type type, string prefix)
        {
            foreach (var (name, memberType) in Members(type))
            {
                string here = $"{prefix}{type.Name}.{name}";
                foreach (var reached in Reachable(memberType))
                {
                    var forbidden = Forbidden.FirstOrDefault(f => f.IsAssignableFrom(reached));
                    if (forbidden is not null) found.Add($"{here}: {forbidden.Name}");
                    else if (IsOurs(reached) && visited.Add(reached)) Walk(reached, here + " -> ");
                }
            }
        }
    }

    private static bool IsOurs(Type type) =>
        type.Assembly == typeof(ModelSpec).Assembly || type.Assembly == typeof(SpecTests).Assembly;

    private static IEnumerable<(string Name, Type Type)> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (var property in t.GetProperties(flags)) yield return (property.Name, property.PropertyType);
            // Fields too, for state no property shows; compiler-generated backing fields repeat their property.
            foreach (var field in t.GetFields(flags).Where(f => !f.Name.StartsWith('<'))) yield return (field.Name, field.FieldType);
        }
    }

    /// <summary>The type, its element type and its generic arguments, recursively (EquatableArray&lt;T&gt; -> T).</summary>
    private static IEnumerable<Type> Reachable(Type type)
    {
        yield return type;
        var inner = type.IsArray || type.IsByRef || type.IsPointer ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        foreach (var t in inner)
            foreach (var r in Reachable(t)) yield return r;
    }
}
