using System.Globalization;

namespace Gen.Checkpoints;

/// <summary>
/// One named tensor of a model's weights: where it lives in the model's parameter arena (or, for non-trainable
/// values such as moving statistics, its state arena) and its shape, named as Keras names the variable
/// ("dense/kernel", "batch_normalization/moving_mean").
/// </summary>
public sealed record WeightTensor(string Name, int Offset, int[] Shape, bool IsState = false)
{
    /// <summary>The number of floats: the product of the shape.</summary>
    public int Length
    {
        get
        {
            int length = 1;
            foreach (int d in Shape) length *= d;
            return length;
        }
    }
}

/// <summary>
/// Saves and loads a model's weights as a safetensors file, one tensor per variable under its Keras name and shape
/// (what Keras's <c>save_weights</c> holds: trainable weights and non-trainable state; no optimizer state). Generated
/// models call it from their <c>Save</c> and <c>Load</c>. A save replaces the file whole or not at all; a load checks
/// every tensor's name and shape before it changes anything, so a bad file leaves the model as it was.
/// </summary>
public static class ModelWeights
{
    /// <summary>Writes <paramref name="tensors"/> from the two arenas to <paramref name="path"/>.</summary>
    public static void Save(string path, ReadOnlySpan<float> parameters, ReadOnlySpan<float> state, IReadOnlyList<WeightTensor> tensors, string modelName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var data = new List<(string Name, int[] Shape, ReadOnlyMemory<float> Data)>(tensors.Count);
        foreach (var tensor in tensors)
        {
            var arena = tensor.IsState ? state : parameters;
            CheckFits(tensor, arena.Length);
            data.Add((tensor.Name, tensor.Shape, arena.Slice(tensor.Offset, tensor.Length).ToArray()));
        }
        SafeTensors.Save(path, data, new Dictionary<string, string> { ["format"] = "gen", ["model"] = modelName });
    }

    /// <summary>
    /// Reads <paramref name="path"/> into the two arenas. The file must hold exactly the model's tensors, with their
    /// shapes; otherwise an <see cref="InvalidDataException"/> names the tensor and the expected and actual shapes, and
    /// the arenas are left as they were.
    /// </summary>
    public static void Load(string path, Span<float> parameters, Span<float> state, IReadOnlyList<WeightTensor> tensors, string modelName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var file = SafeTensors.Load(path);
        var byName = new Dictionary<string, (int[] Shape, float[] Data)>(file.Count, StringComparer.Ordinal);
        foreach (var (name, shape, values) in file) byName[name] = (shape, values);

        // Check everything first: a load that fails changes nothing.
        foreach (var tensor in tensors)
        {
            CheckFits(tensor, (tensor.IsState ? state : parameters).Length);
            if (!byName.TryGetValue(tensor.Name, out var found))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path} has no tensor '{tensor.Name}' {Shape(tensor.Shape)}, which model '{modelName}' needs; it holds {Names(file.Select(t => t.Name))}."));
            if (!found.Shape.AsSpan().SequenceEqual(tensor.Shape))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: tensor '{tensor.Name}' has shape {Shape(found.Shape)}; model '{modelName}' expects {Shape(tensor.Shape)}."));
        }
        var expected = new HashSet<string>(tensors.Select(t => t.Name), StringComparer.Ordinal);
        var extra = file.Select(t => t.Name).Where(n => !expected.Contains(n)).ToList();
        if (extra.Count > 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{path} holds {Names(extra)}, which model '{modelName}' does not have; its tensors are {Names(tensors.Select(t => t.Name))}."));

        foreach (var tensor in tensors)
            byName[tensor.Name].Data.CopyTo((tensor.IsState ? state : parameters).Slice(tensor.Offset, tensor.Length));
    }

    private static void CheckFits(WeightTensor tensor, int arenaLength)
    {
        if (tensor.Offset < 0 || tensor.Shape.Any(d => d < 0) || (long)tensor.Offset + tensor.Length > arenaLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Tensor '{tensor.Name}' {Shape(tensor.Shape)} at offset {tensor.Offset} does not fit its arena of {arenaLength} floats."), nameof(tensor));
    }

    private static string Shape(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));
}
