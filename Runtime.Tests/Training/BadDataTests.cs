namespace Gen.Runtime.Tests.Training;

/// <summary>Bad data and arguments: the exception type, the argument it names, and the expected and actual values in its message.</summary>
public sealed class BadDataTests
{
    private static readonly float[,] X = { { 0, 1 }, { 2, 3 }, { 4, 5 }, { 6, 7 }, { 8, 9 } };
    private static readonly float[] Y = [1, 2, 3, 4, 5];

    private static History Fit(IModel model, Features x, Targets y, int epochs = 1, int batchSize = 32,
        double validationSplit = 0, (Features X, Targets Y)? validationData = null, int verbose = 0, float[]? sampleWeight = null)
        => Trainer.Fit(model, x, y, epochs, batchSize, validationSplit, validationData, verbose: verbose, sampleWeight: sampleWeight);

    private static void AssertThrows<T>(Action action, string paramName, params string[] inMessage) where T : ArgumentException
    {
        var e = Assert.Throws<T>(action);
        Assert.Equal(paramName, e.ParamName);
        foreach (var s in inMessage) Assert.Contains(s, e.Message);
    }

    private static LinearModel Model() => new(2, 1);

    [Fact]
    public void FeatureWidth_Mismatch_NamesXWithExpectedAndActualWidth()
    {
        var x = new float[5, 3];
        AssertThrows<ArgumentException>(() => Fit(Model(), x, Y), "x", "has 3 values per sample", "expected 2");
        AssertThrows<ArgumentException>(() => Trainer.Evaluate(Model(), x, Y), "x", "3", "expected 2");
        AssertThrows<ArgumentException>(() => Trainer.Predict(Model(), x), "x", "3", "expected 2");
        AssertThrows<ArgumentException>(() => Trainer.TrainStep(Model(), x, Y), "x", "3", "expected 2");
        float[][] ragged = [[0, 1], [2, 3, 4]];
        AssertThrows<ArgumentException>(() => Fit(Model(), ragged, new float[] { 1, 2 }), "x", "x[1] has 3 values", "expected 2");
    }

    [Fact]
    public void TargetWidth_Mismatch_NamesY()
    {
        var model = new LinearModel(2, 3);
        AssertThrows<ArgumentException>(() => Fit(model, X, new float[5, 2]), "y", "has 2 values per sample", "expected 3");
        AssertThrows<ArgumentException>(() => Fit(model, X, Y), "y", "has 1 values per sample", "expected 3");
    }

    [Fact]
    public void SampleCount_Mismatch_NamesYWithBothCounts()
    {
        AssertThrows<ArgumentException>(() => Fit(Model(), X, new float[] { 1, 2, 3, 4 }), "y", "has 4 samples", "expected 5");
        AssertThrows<ArgumentException>(() => Trainer.Evaluate(Model(), X, new float[] { 1, 2, 3, 4, 5, 6 }), "y", "has 6 samples", "expected 5");
        AssertThrows<ArgumentException>(() => Trainer.TestStep(Model(), X, new float[] { 1 }), "y", "has 1 samples", "expected 5");
    }

    [Fact]
    public void SampleWeight_CountMismatch_NamesSampleWeight()
    {
        AssertThrows<ArgumentException>(() => Fit(Model(), X, Y, sampleWeight: [1, 1, 1]), "sampleWeight", "has 3 values", "expected 5");
        AssertThrows<ArgumentException>(() => Trainer.Evaluate(Model(), X, Y, sampleWeight: [1, 1, 1, 1, 1, 1]), "sampleWeight", "6", "expected 5");
    }

    [Fact]
    public void SampleWeight_NonFiniteOrNegative_NamesTheSample()
    {
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(Model(), X, Y, sampleWeight: [1, 1, float.NaN, 1, 1]), "sampleWeight", "sampleWeight[2] is NaN", ">= 0");
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(Model(), X, Y, sampleWeight: [1, -0.5f, 1, 1, 1]), "sampleWeight", "sampleWeight[1] is -0.5", ">= 0");
        AssertThrows<ArgumentOutOfRangeException>(() => Trainer.TrainStep(Model(), X, Y, [1, 1, 1, 1, float.PositiveInfinity]), "sampleWeight", "sampleWeight[4] is Infinity");
    }

    [Fact]
    public void NaNOrInfinity_InInputsOrTargets_NamesTheSampleAndFeature()
    {
        var x = (float[,])X.Clone();
        x[3, 1] = float.NaN;
        AssertThrows<ArgumentException>(() => Fit(Model(), x, Y), "x", "NaN", "sample 3, feature 1", "expected finite values");
        AssertThrows<ArgumentException>(() => Trainer.Predict(Model(), x), "x", "NaN", "sample 3");
        float[] y = [1, 2, float.NegativeInfinity, 4, 5];
        AssertThrows<ArgumentException>(() => Fit(Model(), X, y), "y", "-Infinity", "sample 2, feature 0");
    }

    [Fact]
    public void SparseLabels_OutOfRangeOrNotWhole_NameTheLabelAndTheRange()
    {
        var model = new LinearModel(2, 3, sparseTargets: true);
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(model, X, new[] { 0, 1, 2, 3, 0 }), "y", "y[3] is 3", "[0, 3)");
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(model, X, new[] { 0, -1, 2, 1, 0 }), "y", "y[1] is -1", "[0, 3)");
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(model, X, new[] { 0f, 1.5f, 2, 1, 0 }), "y", "y[1] is 1.5", "whole-number");
        AssertThrows<ArgumentOutOfRangeException>(() => Trainer.Evaluate(model, X, new[] { 0, 1, 2, 1, 7 }), "y", "y[4] is 7", "[0, 3)");
        AssertThrows<ArgumentOutOfRangeException>(() => Trainer.TrainStep(model, X, new[] { 9, 1, 2, 1, 0 }), "y", "y[0] is 9");
    }

    [Fact]
    public void EmptyData_NamesTheArgument()
    {
        AssertThrows<ArgumentException>(() => Fit(Model(), new float[0, 2], Array.Empty<float>()), "x", "empty", "at least 1", "got 0");
        AssertThrows<ArgumentException>(() => Fit(Model(), Array.Empty<float[]>(), Array.Empty<float>()), "x", "empty", "got 0");
        AssertThrows<ArgumentException>(() => Trainer.Predict(Model(), new float[0, 2]), "x", "empty");
        AssertThrows<ArgumentException>(() => Fit(Model(), X, Array.Empty<int>()), "y", "empty", "got 0");
    }

    [Fact]
    public void NonPositiveBatchSizeOrEpochs_AreOutOfRange()
    {
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(Model(), X, Y, batchSize: 0), "batchSize", "at least 1", "got 0");
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(Model(), X, Y, batchSize: -3), "batchSize", "at least 1", "got -3");
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(Model(), X, Y, epochs: 0), "epochs", "at least 1", "got 0");
        AssertThrows<ArgumentOutOfRangeException>(() => Trainer.Evaluate(Model(), X, Y, batchSize: 0), "batchSize", "got 0");
        AssertThrows<ArgumentOutOfRangeException>(() => Trainer.Predict(Model(), X, batchSize: -1), "batchSize", "got -1");
    }

    [Fact]
    public void ValidationSplit_OutsideZeroToOne_IsOutOfRange()
    {
        foreach (double split in new[] { -0.1, 1.0, 1.5, double.NaN })
            AssertThrows<ArgumentOutOfRangeException>(() => Fit(Model(), X, Y, validationSplit: split), "validationSplit",
                "0 or a fraction in (0, 1)", $"got {split.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void ValidationSplit_LeavingNoTrainingOrValidationSample_Throws()
    {
        // floor(5 · 0.9) = 4 is fine, floor(5 · (1 − 1e-17)) = 5 leaves no validation sample, floor(1 · 0.5) = 0 no training sample.
        Fit(Model(), X, Y, validationSplit: 0.1);
        AssertThrows<ArgumentException>(() => Fit(Model(), X, Y, validationSplit: 1e-17), "validationSplit", "leaves 5 for training and 0 for validation");
        AssertThrows<ArgumentException>(() => Fit(Model(), new float[,] { { 1, 2 } }, new float[] { 1 }, validationSplit: 0.5),
            "validationSplit", "of 1 samples leaves 0 for training and 1 for validation");
    }

    [Fact]
    public void ValidationDataAndSplitTogether_Throw()
    {
        AssertThrows<ArgumentException>(() => Fit(Model(), X, Y, validationSplit: 0.2, validationData: (X, Y)), "validationData", "not both", "0.2");
    }

    [Fact]
    public void BadValidationData_NamesValidationData()
    {
        AssertThrows<ArgumentException>(() => Fit(Model(), X, Y, validationData: (new float[3, 4], new float[3])),
            "validationData", "validationData.X has 4 values per sample", "expected 2");
        AssertThrows<ArgumentException>(() => Fit(Model(), X, Y, validationData: (X, new float[2])),
            "validationData", "validationData.Y has 2 samples", "expected 5");
        var sparse = new LinearModel(2, 3, sparseTargets: true);
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(sparse, X, new[] { 0, 1, 2, 1, 0 }, validationData: (X, new[] { 0, 1, 2, 5, 0 })),
            "validationData", "validationData.Y[3] is 5", "[0, 3)");
    }

    [Fact]
    public void Verbose_OutsideZeroToTwo_IsOutOfRange()
    {
        AssertThrows<ArgumentOutOfRangeException>(() => Fit(Model(), X, Y, verbose: 3), "verbose", "got 3");
    }

    [Fact]
    public void NothingRuns_WhenTheDataAreBad()
    {
        var model = new LinearModel(2, 1) { BatchSizes = [] };
        Assert.Throws<ArgumentException>(() => Fit(model, X, new float[] { 1, 2, 3, 4 }));
        Assert.Empty(model.BatchSizes!);
        Assert.Equal(0, model.Optimizer.Iterations);
    }

    [Fact]
    public void SpanTrainStep_ChecksLengthsAndValues()
    {
        var model = new LinearModel(2, 1);
        float[] x = new float[6], y = new float[3];
        AssertThrows<ArgumentOutOfRangeException>(() => Trainer.TrainStep(model, x, y, default, 0), "batch", "got 0");
        AssertThrows<ArgumentException>(() => Trainer.TrainStep(model, x.AsSpan(0, 5), y, default, 3), "x", "holds 5 floats", "3 × 2 = 6");
        AssertThrows<ArgumentException>(() => Trainer.TrainStep(model, x, y.AsSpan(0, 2), default, 3), "y", "holds 2 floats", "3 × 1 = 3");
        AssertThrows<ArgumentException>(() => Trainer.TrainStep(model, x, y, new float[2], 3), "sampleWeight", "has 2 values", "expected 3");
        x[4] = float.NaN;
        AssertThrows<ArgumentException>(() => Trainer.TrainStep(model, x, y, default, 3), "x", "NaN", "sample 2, feature 0");
        var sparse = new LinearModel(2, 4, sparseTargets: true);
        AssertThrows<ArgumentOutOfRangeException>(() => Trainer.TrainStep(sparse, new float[6], new float[] { 0, 4, 1 }, default, 3), "y", "y[1] is 4", "[0, 4)");
    }
}
