using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Gen.Checkpoints;

/// <summary>
/// Reads and writes float32 tensors in the safetensors format (Hugging Face's <c>safetensors</c>):
/// <code>
/// [8 bytes: N, little-endian u64] [N bytes: JSON header, padded with spaces to a multiple of 8] [data]
/// header = {"__metadata__": {"key": "value", ...}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
/// </code>
/// Offsets count bytes from the start of the data, which the tensors cover exactly, without holes or overlaps;
/// values are little-endian. A file is written whole or not at all: <see cref="Save"/> writes a temporary file
/// in the target's directory, flushes it to disk and then moves it over the target, so a failure leaves the
/// previous file as it was. The header is written and read with System.Text.Json's writer and
/// <see cref="JsonDocument"/>, without reflection (AOT-safe).
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header accepted, as the reference implementation (100 MB).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/>, in the order given, and <paramref name="metadata"/> to <paramref name="path"/>,
    /// replacing any file there only once the new one is complete on disk.
    /// </summary>
    /// <param name="tensors">Unique, non-empty names (not "__metadata__"); shapes of non-negative sizes; each
    /// <c>Data</c> holding exactly the product of its shape's sizes.</param>
    /// <param name="metadata">Free-form string pairs for the header's "__metadata__", or null for none.</param>
    public static void Save(string path, IReadOnlyList<(string Name, int[] Shape, ReadOnlyMemory<float> Data)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
        => Save(path, tensors, metadata, wrap: null);

    /// <summary>As the public <c>Save</c>; <paramref name="wrap"/> can interpose on the temporary file's stream (tests simulate failures with it).</summary>
    internal static void Save(string path, IReadOnlyList<(string Name, int[] Shape, ReadOnlyMemory<float> Data)> tensors,
        IReadOnlyDictionary<string, string>? metadata, Func<Stream, Stream>? wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = WriteHeader(tensors, metadata);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        if (string.IsNullOrEmpty(Path.GetFileName(fullPath)))
            throw new ArgumentException($"'{path}' names a directory; expected a file path.", nameof(path));
        if (Directory.Exists(fullPath))
            throw new ArgumentException($"'{path}' is an existing directory; expected a file path.", nameof(path));
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Stream stream = wrap is null ? file : wrap(file);
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var (_, _, data) in tensors) WriteLittleEndian(stream, data.Span);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Reads every tensor of a safetensors file of float32 tensors, in the order of their data.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, its header is not valid, or a tensor is not float32.</exception>
    public static IReadOnlyList<(string Name, int[] Shape, float[] Data)> Load(string path) => Load(path, out _);

    /// <summary>As <see cref="Load(string)"/>, also returning the header's "__metadata__" (empty when there is none).</summary>
    public static IReadOnlyList<(string Name, int[] Shape, float[] Data)> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        long fileLength = file.Length;
        if (fileLength < 8)
            throw Invalid(path, $"the file is truncated: it holds {fileLength} bytes, fewer than the 8 of the header length.");
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
            throw Invalid(path, $"the header length is {headerLength} bytes, more than the {MaxHeaderBytes} allowed; the file is corrupt or not safetensors.");
        if ((long)headerLength > fileLength - 8)
            throw Invalid(path, $"the file is truncated: the header length is {headerLength} bytes, but only {fileLength - 8} bytes follow it.");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;

        var entries = ParseHeader(path, header, dataLength, out metadata);
        var result = new (string Name, int[] Shape, float[] Data)[entries.Count];
        long dataStart = 8 + (long)headerLength;
        for (int i = 0; i < entries.Count; i++)
        {
            var (name, shape, begin, end) = entries[i];
            var data = new float[(end - begin) / sizeof(float)];
            file.Position = dataStart + begin;
            file.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            if (!BitConverter.IsLittleEndian)
                for (int j = 0; j < data.Length; j++)
                    data[j] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(data[j])));
            result[i] = (name, shape, data);
        }
        return result;
    }

    private static byte[] WriteHeader(IReadOnlyList<(string Name, int[] Shape, ReadOnlyMemory<float> Data)> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    if (key is null || value is null)
                        throw new ArgumentException("Metadata keys and values must not be null.", nameof(metadata));
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            for (int i = 0; i < tensors.Count; i++)
            {
                var (name, shape, data) = tensors[i];
                if (string.IsNullOrEmpty(name))
                    throw new ArgumentException($"tensors[{i}] has no name; expected a non-empty name.", nameof(tensors));
                if (name == MetadataKey)
                    throw new ArgumentException($"tensors[{i}] is named '{MetadataKey}', which the format reserves for metadata.", nameof(tensors));
                if (!names.Add(name))
                    throw new ArgumentException($"tensors[{i}] is named '{name}', as an earlier tensor; expected unique names.", nameof(tensors));
                if (shape is null)
                    throw new ArgumentException($"Tensor '{name}' has no shape; expected an array of sizes ([] for a scalar).", nameof(tensors));
                long count = 1;
                foreach (int size in shape)
                {
                    if (size < 0)
                        throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(", ", shape)}]; expected sizes >= 0.", nameof(tensors));
                    count *= size;
                }
                if (count != data.Length)
                    throw new ArgumentException(
                        $"Tensor '{name}' has shape [{string.Join(", ", shape)}] ({count} values) but holds {data.Length} values.", nameof(tensors));

                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int size in shape) json.WriteNumberValue(size);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += count * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces so that the data starts 8-byte aligned, as the reference implementation does.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static List<(string Name, int[] Shape, long Begin, long End)> ParseHeader(string path, byte[] header, long dataLength,
        out IReadOnlyDictionary<string, string> metadata)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid safetensors file: its header is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(path, $"the header is a JSON {Kind(root)}; expected an object.");
            var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                string name = property.Name;
                if (!seen.Add(name))
                    throw Invalid(path, $"the header names '{name}' twice.");
                var value = property.Value;
                if (name == MetadataKey)
                {
                    if (value.ValueKind != JsonValueKind.Object)
                        throw Invalid(path, $"'{MetadataKey}' is a JSON {Kind(value)}; expected an object of strings.");
                    foreach (var pair in value.EnumerateObject())
                    {
                        if (pair.Value.ValueKind != JsonValueKind.String)
                            throw Invalid(path, $"'{MetadataKey}.{pair.Name}' is a JSON {Kind(pair.Value)}; expected a string.");
                        meta[pair.Name] = pair.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ParseEntry(path, name, value, dataLength));
            }

            // The tensors must cover the data exactly: sorted by offset, each starts where the previous ends.
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long position = 0;
            foreach (var (name, _, begin, end) in entries)
            {
                if (begin != position)
                    throw Invalid(path, begin > position
                        ? $"tensor '{name}' starts at data byte {begin}, leaving bytes {position}..{begin} unused; expected no holes."
                        : $"tensor '{name}' starts at data byte {begin}, inside the previous tensor (which ends at {position}); expected no overlaps.");
                position = end;
            }
            if (position != dataLength)
                throw Invalid(path, $"the tensors cover {position} bytes of data, but {dataLength} bytes follow the header.");
            metadata = meta;
            return entries;
        }
    }

    private static (string Name, int[] Shape, long Begin, long End) ParseEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"tensor '{name}' is a JSON {Kind(value)}; expected an object with dtype, shape and data_offsets.");
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
            throw Invalid(path, $"tensor '{name}' has no dtype string.");
        if (dtype.GetString() != "F32")
            throw Invalid(path, $"tensor '{name}' has dtype {dtype.GetString()}; only F32 is supported.");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"tensor '{name}' has no shape array.");
        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        int k = 0;
        foreach (var size in shapeElement.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out int s) || s < 0)
                throw Invalid(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}; expected sizes that are whole numbers in [0, {int.MaxValue}].");
            shape[k++] = s;
            count = s == 0 || count <= long.MaxValue / 4 / s ? count * s : throw Invalid(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}, too large to hold.");
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw Invalid(path, $"tensor '{name}' has data_offsets {(value.TryGetProperty("data_offsets", out var o) ? o.GetRawText() : "(none)")}; expected [begin, end] with 0 <= begin <= end.");
        if (end - begin != count * sizeof(float))
            throw Invalid(path, $"tensor '{name}' has shape {shapeElement.GetRawText()} ({count} floats, {count * sizeof(float)} bytes) but data_offsets [{begin}, {end}] span {end - begin} bytes.");
        if (end > dataLength)
            throw Invalid(path, $"the file is truncated: tensor '{name}' ends at data byte {end}, but only {dataLength} bytes of data follow the header.");
        if (count > Array.MaxLength)
            throw Invalid(path, $"tensor '{name}' holds {count} floats; at most {Array.MaxLength} fit in one array.");
        return (name, shape, begin, end);
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        foreach (float v in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
            stream.Write(bytes);
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    private static InvalidDataException Invalid(string path, string problem)
        => new($"'{path}' is not a valid safetensors file: {problem}");

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
