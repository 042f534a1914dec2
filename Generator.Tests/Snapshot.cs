namespace Gen.Generator.Tests;

/// <summary>
/// Golden-file comparison: <c>Snapshots/{name}.verified.cs</c> in the source tree holds the exact expected text.
/// A mismatch writes <c>{name}.received.cs</c> beside it and fails; GEN_UPDATE_SNAPSHOTS=1 rewrites the
/// verified file instead (then review the diff before committing it).
/// </summary>
internal static class Snapshot
{
    public static void Verify(string name, string actual)
    {
        string directory = Path.Combine(SolutionDirectory(), "Generator.Tests", "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");

        if (Environment.GetEnvironmentVariable("GEN_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        string? expected = File.Exists(verified) ? File.ReadAllText(verified) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}; the output is in {received}. Run with GEN_UPDATE_SNAPSHOTS=1 to accept it."
            : $"Generated code differs from {verified}; the output is in {received}.\nFirst difference at {FirstDifference(expected, actual)}");
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? x = i < e.Length ? e[i] : null, y = i < a.Length ? a[i] : null;
            if (x != y) return $"line {i + 1}:\n  expected: {x ?? "<end of file>"}\n  received: {y ?? "<end of file>"}";
        }
        return "no line (unreachable: the texts differ)";
    }

    private static string SolutionDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Gen.sln above {AppContext.BaseDirectory}.");
    }
}
