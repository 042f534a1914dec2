using System.IO.Compression;
using Gen.Datasets;

namespace Gen.Runtime.Tests.Datasets;

public sealed class IdxTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gen.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Gen.sln above {AppContext.BaseDirectory}.");
    }

    private static string MnistFile(string name) => Path.Combine(RepoRoot(), "Samples", "Mnist", "data", name);

    /// <summary>An IDX image file of 2 images of 2 × 3 pixels (values 0, 51, 102, ... wrapping at 255).</summary>
    private static byte[] TinyImages() =>
    [
        0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
        0, 51, 102, 153, 204, 255,
        255, 0, 0, 0, 0, 1,
    ];

    private static byte[] TinyLabels() => [0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 255];

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void ReadImages_RealMnist_Gives10000ImagesOf784PixelsInZeroToOne()
    {
        float[,] images = Idx.ReadImages(MnistFile("mnist-10k-images-idx3-ubyte.gz"));
        Assert.Equal(10_000, images.GetLength(0));
        Assert.Equal(784, images.GetLength(1));
        float min = float.MaxValue, max = float.MinValue;
        double sum = 0;
        foreach (float v in images)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
        }
        Assert.Equal(0f, min);
        Assert.Equal(1f, max);
        double mean = sum / images.Length;
        Assert.InRange(mean, 0.09, 0.16); // MNIST's mean grey level is about 0.13
        // Each value is a whole grey level divided by 255.
        for (int p = 0; p < 784; p++) Assert.Equal(MathF.Round(images[0, p] * 255f) / 255f, images[0, p]);
    }

    [Fact]
    public void ReadLabels_RealMnist_HasTheDocumentedClassCounts()
    {
        int[] labels = Idx.ReadLabels(MnistFile("mnist-10k-labels-idx1-ubyte.gz"));
        Assert.Equal(10_000, labels.Length);
        var counts = new int[10];
        foreach (int label in labels) counts[label]++;
        Assert.Equal([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], counts);
        Assert.NotEqual(labels.Order(), labels); // shuffled, not sorted by class
    }

    [Fact]
    public void ReadImages_SmallFile_ScalesByteValuesBy255()
    {
        float[,] images = Idx.ReadImages(new MemoryStream(TinyImages()));
        Assert.Equal(2, images.GetLength(0));
        Assert.Equal(6, images.GetLength(1));
        Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f, 1f, 0f, 0f, 0f, 0f, 1f / 255f], images.Cast<float>());
    }

    [Fact]
    public void Read_GzippedOrNot_GivesTheSameData()
    {
        Assert.Equal(Idx.ReadImages(new MemoryStream(TinyImages())), Idx.ReadImages(new MemoryStream(Gzip(TinyImages()))));
        Assert.Equal([7, 0, 255], Idx.ReadLabels(new MemoryStream(Gzip(TinyLabels()))));
        Assert.Equal([7, 0, 255], Idx.ReadLabels(new MemoryStream(TinyLabels())));
    }

    [Fact]
    public void ReadImages_WrongMagic_SaysWhichMagicWasFoundAndExpected()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(new MemoryStream(TinyLabels()), "labels.idx"));
        Assert.Contains("labels.idx", e.Message);
        Assert.Contains("0x00000801 (that of a label file)", e.Message);
        Assert.Contains("expected 0x00000803", e.Message);

        var e2 = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(new MemoryStream(TinyImages())));
        Assert.Contains("0x00000803", e2.Message);
        Assert.Contains("expected 0x00000801", e2.Message);

        byte[] text = "hello, world\n"u8.ToArray();
        var e3 = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(new MemoryStream(text)));
        Assert.Contains("0x68656C6C", e3.Message);
    }

    [Fact]
    public void Read_TruncatedFile_SaysHowManyBytesWereExpected()
    {
        byte[] images = TinyImages();
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(new MemoryStream(images[..^1])));
        Assert.Contains("truncated: 27 bytes; expected 28", e.Message);
        Assert.Contains("2 × 2 × 3", e.Message);

        var header = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(new MemoryStream(images[..10])));
        Assert.Contains("truncated header: 10 bytes; expected 16", header.Message);

        var tiny = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(new MemoryStream(new byte[] { 0, 0 })));
        Assert.Contains("2 bytes is too short", tiny.Message);

        var labels = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(new MemoryStream(Gzip(TinyLabels()[..^2]))));
        Assert.Contains("truncated: 9 bytes; expected 11", labels.Message);
    }

    [Fact]
    public void Read_TrailingBytes_AreAnError()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(new MemoryStream([.. TinyLabels(), 1, 2])));
        Assert.Contains("2 bytes after the data; expected 11", e.Message);
    }

    [Fact]
    public void Read_CorruptGzip_IsInvalidData()
    {
        byte[] gz = Gzip(TinyImages());
        gz[10] = 0xFF; // the first deflate block header: BTYPE 11 is reserved
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(new MemoryStream(gz)));
        Assert.Contains("starts like a gzip file but does not decompress", e.Message);

        // A cut gzip stream decompresses to a prefix, which the size check then rejects.
        byte[] whole = Gzip(TinyImages());
        var cut = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(new MemoryStream(whole[..(whole.Length / 2)])));
        Assert.Contains("truncated", cut.Message);
    }
}
