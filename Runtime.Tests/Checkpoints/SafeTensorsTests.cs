using System.Buffers.Binary;
using System.Text;
using Gen.Checkpoints;

namespace Gen.Runtime.Tests.Checkpoints;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gen-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>A file laid out by hand from the format's description: u64 header length, JSON header, data.</summary>
    private static byte[] HandWritten(string header, params float[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length * 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + json.Length + 4 * i), data[i]);
        return bytes;
    }

    private InvalidDataException LoadInvalid(byte[] bytes)
    {
        string path = PathOf("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        return Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
    }

    [Fact]
    public void SaveThenLoad_RoundTripsNamesShapesValuesAndMetadata()
    {
        string path = PathOf("model.safetensors");
        float[] kernel = [1.5f, -2.25f, float.Epsilon, float.MaxValue, -0f, 3e-38f];
        SafeTensors.Save(path, [("dense/kernel", [2, 3], kernel), ("dense/bias", [3], new float[] { 0.1f, 0.2f, 0.3f }), ("scale", [], new float[] { 7f }), ("none", [0], Array.Empty<float>())],
            new Dictionary<string, string> { ["epoch"] = "3", ["note"] = "quote \" and é" });

        var tensors = SafeTensors.Load(path, out var metadata);
        Assert.Equal(["dense/kernel", "dense/bias", "scale", "none"], tensors.Select(t => t.Name));
        Assert.Equal([2, 3], tensors[0].Shape);
        Assert.Equal(kernel, tensors[0].Data);
        Assert.Equal([0.1f, 0.2f, 0.3f], tensors[1].Data);
        Assert.Empty(tensors[2].Shape);
        Assert.Equal([7f], tensors[2].Data);
        Assert.Empty(tensors[3].Data);
        Assert.Equal("3", metadata["epoch"]);
        Assert.Equal("quote \" and é", metadata["note"]);
    }

    [Fact]
    public void Save_WritesTheFormatsLayout()
    {
        string path = PathOf("layout.safetensors");
        SafeTensors.Save(path, [("w", [2], new float[] { 1f, -2f })], new Dictionary<string, string> { ["k"] = "v" });
        byte[] bytes = File.ReadAllBytes(path);

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8); // padded so that the data is 8-byte aligned
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Equal("""{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", header.TrimEnd(' '));
        Assert.Equal(8 + (int)headerLength + 8, bytes.Length);
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)headerLength)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(12 + (int)headerLength)));
    }

    [Fact]
    public void Load_ReadsAHandWrittenFile_WithTensorsInAnyHeaderOrder()
    {
        string path = PathOf("hand.safetensors");
        File.WriteAllBytes(path, HandWritten(
            """{"b":{"data_offsets":[8,12],"shape":[1],"dtype":"F32"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}""",
            1f, 2f, 3f));
        var tensors = SafeTensors.Load(path, out var metadata);
        Assert.Empty(metadata);
        Assert.Equal(["a", "b"], tensors.Select(t => t.Name)); // in the order of their data
        Assert.Equal([1f, 2f], tensors[0].Data);
        Assert.Equal([1, 2], tensors[0].Shape);
        Assert.Equal([3f], tensors[1].Data);
    }

    [Fact]
    public void Load_RejectsATruncatedFile()
    {
        string path = PathOf("full.safetensors");
        SafeTensors.Save(path, [("w", [4], new float[] { 1, 2, 3, 4 })]);
        byte[] bytes = File.ReadAllBytes(path);

        var e = LoadInvalid(bytes[..^3]);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("'w' ends at data byte 16, but only 13 bytes", e.Message);

        e = LoadInvalid(bytes[..20]); // inside the header
        Assert.Contains("truncated", e.Message);
        e = LoadInvalid(bytes[..5]);
        Assert.Contains("holds 5 bytes, fewer than the 8", e.Message);
    }

    [Fact]
    public void Load_RejectsACorruptHeader()
    {
        Assert.Contains("not valid JSON", LoadInvalid(HandWritten("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]""", 1f)).Message);
        Assert.Contains("is a JSON array; expected an object", LoadInvalid(HandWritten("[1, 2]")).Message);
        Assert.Contains("dtype F16; only F32", LoadInvalid(HandWritten("""{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""", 1f)).Message);
        Assert.Contains("no dtype", LoadInvalid(HandWritten("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", 1f)).Message);
        Assert.Contains("expected sizes that are whole numbers", LoadInvalid(HandWritten("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 1f)).Message);
        Assert.Contains("span 8 bytes", LoadInvalid(HandWritten("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}""", 1f, 2f)).Message);
        Assert.Contains("expected [begin, end]", LoadInvalid(HandWritten("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 1f)).Message);
        Assert.Contains("leaving bytes 0..4 unused",
            LoadInvalid(HandWritten("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 1f, 2f)).Message);
        Assert.Contains("inside the previous tensor", LoadInvalid(HandWritten(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 1f, 2f)).Message);
        Assert.Contains("cover 4 bytes of data, but 8 bytes follow", LoadInvalid(HandWritten("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 1f, 2f)).Message);
        Assert.Contains("names 'w' twice", LoadInvalid(HandWritten(
            """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 1f, 2f)).Message);
        Assert.Contains("expected a string", LoadInvalid(HandWritten("""{"__metadata__":{"epoch":3}}""")).Message);

        var huge = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(huge, ulong.MaxValue);
        Assert.Contains("more than the 100000000 allowed", LoadInvalid(huge).Message);
    }

    [Fact]
    public void Save_RejectsBadTensors()
    {
        string path = PathOf("x.safetensors");
        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [("w", [2, 2], new float[3])]));
        Assert.Equal("tensors", e.ParamName);
        Assert.Contains("shape [2, 2] (4 values) but holds 3", e.Message);
        Assert.Contains("unique", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [("w", [1], new float[1]), ("w", [1], new float[1])])).Message);
        Assert.Contains("reserves", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [("__metadata__", [1], new float[1])])).Message);
        Assert.Contains("sizes >= 0", Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, [("w", [-1], new float[0])])).Message);
        Assert.False(File.Exists(path));
    }

    /// <summary>Passes writes through until a byte budget is spent, then fails, as a full disk or a crash would.</summary>
    private sealed class FailingStream(Stream inner, long budget, Action? onFirstWrite = null) : Stream
    {
        private long _written;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written == 0) onFirstWrite?.Invoke();
            if (_written + buffer.Length > budget) throw new IOException("No space left on device (simulated).");
            _written += buffer.Length;
            inner.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void InterruptedSave_LeavesThePreviousFileIntact_AndNoTemporaryFile()
    {
        string path = PathOf("weights.safetensors");
        SafeTensors.Save(path, [("w", [3], new float[] { 1, 2, 3 })]);
        byte[] before = File.ReadAllBytes(path);

        bool targetUntouchedDuringWrite = false;
        Assert.Throws<IOException>(() => SafeTensors.Save(path, [("w", [3], new float[] { 4, 5, 6 })], null,
            file => new FailingStream(file, budget: before.Length - 4, onFirstWrite: () => targetUntouchedDuringWrite = File.ReadAllBytes(path).SequenceEqual(before))));

        Assert.True(targetUntouchedDuringWrite, "the save wrote to the target file itself");
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([1f, 2f, 3f], SafeTensors.Load(path)[0].Data);
        Assert.Equal(["weights.safetensors"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void InterruptedFirstSave_LeavesNoFile()
    {
        string path = PathOf("new.safetensors");
        Assert.Throws<IOException>(() => SafeTensors.Save(path, [("w", [100], new float[100])], null, file => new FailingStream(file, budget: 50)));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Save_ReplacesAnExistingFile_AndCreatesMissingDirectories()
    {
        string path = Path.Combine(_directory, "a", "b", "w.safetensors");
        SafeTensors.Save(path, [("w", [1], new float[] { 1 })]);
        SafeTensors.Save(path, [("w", [2], new float[] { 2, 3 })]);
        Assert.Equal([2f, 3f], SafeTensors.Load(path)[0].Data);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
