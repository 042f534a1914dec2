using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace Gen.Generator.Emit;

internal static class Literals
{
    /// <summary>A float literal that round-trips: 0.001 -> "0.001f", 1e-7 -> "1E-07f".</summary>
    public static string Float(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>An integer with thousands separators, for comments.</summary>
    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A name as C# source: keywords escaped with '@' ("event" -> "@event").</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>A type's name with its type parameters, as in its declaration: "Outer&lt;T, U&gt;".</summary>
    public static string TypeName(string name, IEnumerable<string> typeParameters)
    {
        var parameters = typeParameters.Select(Identifier).ToList();
        return Identifier(name) + (parameters.Count == 0 ? "" : "<" + string.Join(", ", parameters) + ">");
    }

    /// <summary>A dotted namespace as C# source, each part escaped.</summary>
    public static string Namespace(string name) => string.Join(".", name.Split('.').Select(Identifier));

    public static string String(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    /// <summary>"MeanSquaredError" -> "mean_squared_error", as Keras names things.</summary>
    public static string SnakeCase(string pascal)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
