using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using Gen.Generator.Tests.Numerics;

namespace Gen.Generator.Tests.WeightHashes;

/// <summary>
/// Refactors keep behaviour: every sample, benchmark and graph-test model trains a few seeded steps and its saved
/// weights (parameters and moving statistics, as <c>Save</c> writes them) must hash to the recorded value, bit for bit.
/// The recorded hashes are per vector width, since a machine with other SIMD kernels may round differently; on a
/// machine with none recorded the test says so and is skipped. <c>GEN_RECORD_HASHES=1</c> rewrites the record (only
/// for a deliberate numerical change, in its own commit).
/// </summary>
public sealed class WeightHashTests
{
    private const int Samples = 40, Batch = 16, Epochs = 2;

    private static float[,] Rows(int width, int seed, Func<Random, float> draw)
    {
        var random = new Random(seed);
        var x = new float[Samples, width];
        for (int i = 0; i < Samples; i++)
            for (int j = 0; j < width; j++) x[i, j] = draw(random);
        return x;
    }

    private static float[,] Normal(int width, int seed = 1) => Rows(width, seed, r => (float)(r.NextDouble() * 2 - 1));

    private static float[,] Bits(int width, int seed = 2) => Rows(width, seed, r => r.Next(2));

    private static float[,] Tokens(int width, int vocabulary, int seed = 3) => Rows(width, seed, r => r.Next(vocabulary));

    private static int[] Labels(int classes, int seed = 4)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Samples).Select(_ => random.Next(classes)).ToArray();
    }

    /// <summary>Trains with Fit (shuffled, last partial batch kept) and returns the hash of what Save writes.</summary>
    private static string Hash(Action<string> save)
    {
        string path = Path.Combine(Path.GetTempPath(), $"gen-hash-{Guid.NewGuid():N}.safetensors");
        try
        {
            save(path);
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16].ToLowerInvariant();
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every model, by name, with the training run whose weights are hashed.</summary>
    internal static readonly (string Name, Func<string> Run)[] Models =
    [
        ("mlp-small", () => { var m = new Gen.Benchmarks.MlpSmall(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("mlp-wide", () => { var m = new Gen.Benchmarks.MlpWide(seed: 42); m.Fit(Normal(784), Labels(10), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("lstm", () => { var m = new Gen.Benchmarks.LstmBenchmark(seed: 42); m.Fit(Normal(500), Bits(1), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("multi-output", () => { var m = new Gen.Benchmarks.MultiOutputBenchmark(seed: 42); m.Fit(Normal(10), new(Price: Normal(1, 5), Category: Labels(3)), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.MultiOutput.PriceAndCategory", () => { var m = new Gen.Samples.MultiOutput.PriceAndCategory(seed: 42); m.Fit(Normal(10), new(Price: Normal(1, 5), Category: Labels(3)), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Schedules.Regressor", () => { var m = new Gen.Samples.Schedules.Regressor(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Clipping.Unclipped", () => { var m = new Gen.Samples.Clipping.Unclipped(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Clipping.ValueClipped", () => { var m = new Gen.Samples.Clipping.ValueClipped(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Clipping.NormClipped", () => { var m = new Gen.Samples.Clipping.NormClipped(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Clipping.GlobalNormClipped", () => { var m = new Gen.Samples.Clipping.GlobalNormClipped(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.CustomLoop.Regressor", () => { var m = new Gen.Samples.CustomLoop.Regressor(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Regression.Regressor", () => { var m = new Gen.Samples.Regression.Regressor(seed: 42); m.Fit(Normal(10), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Classifier.RegularisedClassifier", () => { var m = new Gen.Samples.Classifier.RegularisedClassifier(seed: 42); m.Fit(Normal(784), Labels(10), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Callbacks.Classifier", () => { var m = new Gen.Samples.Callbacks.Classifier(seed: 42); m.Fit(Normal(2), Bits(1), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.GradientAccumulation.AccumulatingClassifier", () => { var m = new Gen.Samples.GradientAccumulation.AccumulatingClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.GradientAccumulation.Classifier", () => { var m = new Gen.Samples.GradientAccumulation.Classifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Optimizers.SgdClassifier", () => { var m = new Gen.Samples.Optimizers.SgdClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Optimizers.MomentumClassifier", () => { var m = new Gen.Samples.Optimizers.MomentumClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Optimizers.NesterovClassifier", () => { var m = new Gen.Samples.Optimizers.NesterovClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Optimizers.AdamClassifier", () => { var m = new Gen.Samples.Optimizers.AdamClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Optimizers.AdamWClassifier", () => { var m = new Gen.Samples.Optimizers.AdamWClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Optimizers.RmsPropClassifier", () => { var m = new Gen.Samples.Optimizers.RmsPropClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Optimizers.AdagradClassifier", () => { var m = new Gen.Samples.Optimizers.AdagradClassifier(seed: 42); m.Fit(Normal(4), Labels(3), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Lstm.SequenceClassifier", () => { var m = new Gen.Samples.Lstm.SequenceClassifier(seed: 42); m.Fit(Normal(500), Bits(1), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Metrics.BinaryClassifier", () => { var m = new Gen.Samples.Metrics.BinaryClassifier(seed: 42); m.Fit(Normal(2), Bits(1), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Metrics.TenClassClassifier", () => { var m = new Gen.Samples.Metrics.TenClassClassifier(seed: 42); m.Fit(Normal(2), Bits(10), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Samples.Mnist.MnistClassifier", () => { var m = new Gen.Samples.Mnist.MnistClassifier(seed: 42); m.Fit(Normal(784), Labels(10), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.TwoHeads", () => { var m = new TwoHeads(seed: 42); m.Fit(Normal(4), new(Price: Normal(2, 5), Category: Labels(3)), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.Joins", () => { var m = new Joins(seed: 42); m.Fit(Normal(6), Normal(3, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.SequenceGraph", () => { var m = new SequenceGraph(seed: 42); m.Fit(Normal(12), Normal(2, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.Embedded", () => { var m = new Embedded(seed: 42); m.Fit(Tokens(5, 7), Normal(2, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.NormalisedInput", () => { var m = new NormalisedInput(seed: 42); m.Fit(Normal(4), Normal(3, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.ChainedHeads", () => { var m = new ChainedHeads(seed: 42); m.Fit(Normal(3), new(First: Normal(2, 5), Second: Normal(2, 6)), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.RiskAndKind", () => { var m = new RiskAndKind(seed: 42); m.Fit(Normal(5), new(Risk: Bits(1), Kind: Labels(4)), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.TwoInputs", () => { var m = new TwoInputs(seed: 42); m.Fit(new(Text: Tokens(4, 6), Meta: Normal(3)), Normal(1, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.PaddedSequences", () => { var m = new PaddedSequences(seed: 42); m.Fit(Tokens(5, 6), MaskingTargets(), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.StackedGru", () => { var m = new StackedGru(seed: 42); m.Fit(Normal(12), Normal(2, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.WithBatchNorm", () => { var m = new WithBatchNorm(seed: 42); m.Fit(Normal(4), Normal(3, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.WithDropout", () => { var m = new WithDropout(seed: 42); m.Fit(Normal(4), Normal(2, 5), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.RegularisedClassifier", () => { var m = new RegularisedClassifier(seed: 42); m.Fit(Normal(784), Labels(10), Epochs, Batch, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.WithAdamW", () => { var m = new WithAdamW(seed: 42); m.Fit(Normal(4), Labels(3), 3, 8, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.WithSgd", () => { var m = new WithSgd(seed: 42); m.Fit(Normal(4), Labels(3), 3, 8, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.WithRmsProp", () => { var m = new WithRmsProp(seed: 42); m.Fit(Normal(4), Labels(3), 3, 8, verbose: 0, seed: 7); return Hash(m.Save); }),
        ("Tests.WithAdagrad", () => { var m = new WithAdagrad(seed: 42); m.Fit(Normal(4), Labels(3), 3, 8, verbose: 0, seed: 7); return Hash(m.Save); }),
    ];

    private static float[,] MaskingTargets() => Normal(1, 5);

    /// <summary>The vector width the CPU kernels run with here: hashes are recorded per width.</summary>
    internal static string Isa => Vector512.IsHardwareAccelerated ? "avx512" : Vector256.IsHardwareAccelerated ? "avx2" : "other";

    internal static string RecordPath([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, $"weights.{Isa}.txt");

    [RecordedHashesFact]
    public void EverySeededTrainingRunGivesTheRecordedWeights()
    {
        var actual = Models.Select(m => $"{m.Name} {m.Run()}").ToList();
        string path = RecordPath();
        if (Environment.GetEnvironmentVariable("GEN_RECORD_HASHES") == "1")
        {
            File.WriteAllLines(path, actual);
            return;
        }
        var expected = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var differing = expected.Zip(actual).Where(p => p.First != p.Second).Select(p => $"expected {p.First}, got {p.Second}").ToList();
        Assert.True(expected.Count == actual.Count && differing.Count == 0,
            $"{differing.Count} of {actual.Count} models trained to other weights:\n{string.Join("\n", differing)}");
    }
}

/// <summary>A fact that is skipped, saying why, where no hashes are recorded for this machine's vector width.</summary>
internal sealed class RecordedHashesFactAttribute : FactAttribute
{
    public RecordedHashesFactAttribute()
    {
        if (!File.Exists(WeightHashTests.RecordPath()) && Environment.GetEnvironmentVariable("GEN_RECORD_HASHES") != "1")
            Skip = $"No weight hashes are recorded for this machine's vector width ({WeightHashTests.Isa}); GEN_RECORD_HASHES=1 records them.";
    }
}
