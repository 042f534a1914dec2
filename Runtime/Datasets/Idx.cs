using System.Buffers.Binary;
using System.IO.Compression;

namespace Gen.Datasets;

/// <summary>
/// Reads the IDX files of the MNIST distribution (and of Fashion-MNIST, EMNIST, ...): a big-endian header
/// (a magic number giving the element type and the number of dimensions, then each dimension's size) followed
/// by the elements. Files may be gzipped; that is detected from their first bytes, not their name.
/// </summary>
/// <remarks>
/// Only unsigned-byte files are read: images (magic <c>0x00000803</c>: count, rows, columns) and labels
/// (magic <c>0x00000801</c>: count). A wrong magic number, a truncated file or trailing bytes is an
/// <see cref="InvalidDataException"/> that says what was expected and what was found.
/// </remarks>
public static class Idx
{
    /// <summary>The magic number of an image file: unsigned bytes (0x08), three dimensions.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of a label file: unsigned bytes (0x08), one dimension.</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// Reads an image file into <c>count × (rows·columns)</c> floats, each grey level divided by 255 (so in [0, 1]),
    /// row-major within an image, as Keras users write <c>x.astype("float32") / 255</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">Not an IDX image file, truncated, or with bytes after the last image.</exception>
    public static float[,] ReadImages(string path)
    {
        using var file = File.OpenRead(path);
        return ReadImages(file, path);
    }

    /// <inheritdoc cref="ReadImages(string)"/>
    /// <param name="stream">The file's bytes, gzipped or not; read to its end.</param>
    /// <param name="sourceName">What to call the data in messages.</param>
    public static float[,] ReadImages(Stream stream, string sourceName = "stream")
    {
        byte[] data = ReadAll(stream, sourceName);
        CheckHeader(data, ImagesMagic, 3, sourceName);
        int count = Dimension(data, 0, sourceName), rows = Dimension(data, 1, sourceName), columns = Dimension(data, 2, sourceName);
        const int header = 16;
        long pixels = (long)rows * columns;
        CheckLength(data, header, count * pixels, $"{count} × {rows} × {columns}", sourceName);

        var images = new float[count, pixels];
        var source = data.AsSpan(header);
        int i = 0;
        for (int n = 0; n < count; n++)
            for (int p = 0; p < pixels; p++, i++)
                images[n, p] = source[i] / 255f;
        return images;
    }

    /// <summary>Reads a label file into one integer (0..255) per sample.</summary>
    /// <exception cref="InvalidDataException">Not an IDX label file, truncated, or with bytes after the last label.</exception>
    public static int[] ReadLabels(string path)
    {
        using var file = File.OpenRead(path);
        return ReadLabels(file, path);
    }

    /// <inheritdoc cref="ReadLabels(string)"/>
    /// <param name="stream">The file's bytes, gzipped or not; read to its end.</param>
    /// <param name="sourceName">What to call the data in messages.</param>
    public static int[] ReadLabels(Stream stream, string sourceName = "stream")
    {
        byte[] data = ReadAll(stream, sourceName);
        CheckHeader(data, LabelsMagic, 1, sourceName);
        int count = Dimension(data, 0, sourceName);
        const int header = 8;
        CheckLength(data, header, count, $"{count}", sourceName);

        var labels = new int[count];
        for (int n = 0; n < count; n++) labels[n] = data[header + n];
        return labels;
    }

    private static byte[] ReadAll(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var raw = new MemoryStream();
        stream.CopyTo(raw);
        byte[] bytes = raw.ToArray();
        if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B) return bytes;

        // gzip (RFC 1952): decompress in memory.
        var unzipped = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            gzip.CopyTo(unzipped);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{sourceName}: starts like a gzip file but does not decompress: {e.Message}", e);
        }
        return unzipped.ToArray();
    }

    private static void CheckHeader(byte[] data, int magic, int dimensions, string sourceName)
    {
        string kind = magic == ImagesMagic ? "image" : "label";
        int headerLength = 4 + 4 * dimensions;
        if (data.Length < 4)
            throw new InvalidDataException($"{sourceName}: {data.Length} bytes is too short for an IDX {kind} file; expected a {headerLength}-byte header.");
        int actual = BinaryPrimitives.ReadInt32BigEndian(data);
        if (actual != magic)
        {
            string hint = actual switch
            {
                ImagesMagic => " (that of an image file)",
                LabelsMagic => " (that of a label file)",
                _ => "",
            };
            throw new InvalidDataException($"{sourceName}: magic number 0x{actual:X8}{hint}; expected 0x{magic:X8} for an IDX {kind} file.");
        }
        if (data.Length < headerLength)
            throw new InvalidDataException($"{sourceName}: truncated header: {data.Length} bytes; expected {headerLength} for an IDX {kind} file.");
    }

    private static int Dimension(byte[] data, int index, string sourceName)
    {
        int size = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4 + 4 * index));
        if (size < 0)
            throw new InvalidDataException($"{sourceName}: dimension {index} is {size}; expected a size >= 0.");
        return size;
    }

    private static void CheckLength(byte[] data, int header, long elements, string shape, string sourceName)
    {
        long expected = header + elements;
        if (expected > Array.MaxLength)
            throw new InvalidDataException($"{sourceName}: the header announces {shape} = {elements} bytes of data, more than fit in memory.");
        if (data.Length < expected)
            throw new InvalidDataException($"{sourceName}: truncated: {data.Length} bytes; expected {expected} ({header}-byte header + {shape} bytes of data).");
        if (data.Length > expected)
            throw new InvalidDataException($"{sourceName}: {data.Length - expected} bytes after the data; expected {expected} bytes ({header}-byte header + {shape}).");
    }
}
