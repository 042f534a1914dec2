namespace Gen.Runtime.Tests.Training;

/// <summary>The batch arenas laid out for a capacity, part-major batches and the per-output metrics the step feeds.</summary>
public sealed class StepLayoutTests
{
    [Fact]
    public void Arenas_KeepTheirBuffersForSmallerBatches_AndGrowForALargerOne()
    {
        var arenas = new BatchArenas(activationWidth: 5, deltaWidth: 3, accumulateWidth: 2);
        Assert.Equal(0, arenas.Capacity);
        arenas.Ensure(32);
        var activations = arenas.Activations;
        Assert.Equal(32 * 5, activations.Length);
        Assert.Equal(32 * 3, arenas.Deltas.Length);
        Assert.Equal(32 * 2, arenas.Accumulate.Length);

        arenas.Ensure(7); // the last, partial batch: every tensor keeps its address
        Assert.Equal(32, arenas.Capacity);
        Assert.Same(activations, arenas.Activations);

        arenas.Ensure(33);
        Assert.Equal(33, arenas.Capacity);
        Assert.Equal(33 * 5, arenas.Activations.Length);
    }

    [Fact]
    public void PartMajor_PutsEachPartsBlockAfterTheOnesBefore_AndBack()
    {
        // Two samples of parts of widths 2 and 1: rows [a0 a1 | b], [c0 c1 | d].
        float[] rows = [1, 2, 3, 4, 5, 6];
        var parts = new float[6];
        PartMajor.FromRows(rows, 2, [2, 1], parts);
        Assert.Equal([1f, 2, 4, 5, 3, 6], parts);
        var back = new float[6];
        PartMajor.ToRows(parts, 2, [2, 1], back);
        Assert.Equal(rows, back);
    }

    [Fact]
    public void PartMajor_RejectsBuffersThatDoNotHoldTheRows_NamingThem()
    {
        var error = Assert.Throws<ArgumentException>(() => PartMajor.FromRows(new float[5], 2, [2, 1], new float[6]));
        Assert.Equal("rows", error.ParamName);
        Assert.Contains("2 × 3 = 6", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => PartMajor.ToRows(new float[5], 2, [2, 1], new float[6]));
        Assert.Equal("parts", error.ParamName);
    }

    [Fact]
    public void HeadLossMetric_AveragesTheStepsLossesByBatchSize()
    {
        var metric = new HeadLossMetric("price");
        Assert.Equal("price_loss", metric.Name);
        metric.Add(2f, 3);
        metric.Add(4f, 1);
        Assert.Equal((2.0 * 3 + 4.0) / 4, metric.Result(), 6);
        Assert.Throws<NotSupportedException>(() => metric.Update([1f], [1f], default, 1));
        metric.Reset();
        Assert.Equal(0f, metric.Result());
    }

    [Fact]
    public void HeadMetric_HasKerasPrefixedName_AndForwardsTheOutputsOwnRows()
    {
        var inner = new MeanAbsoluteErrorMetric();
        var metric = new HeadMetric("price", inner);
        Assert.Equal("price_mean_absolute_error", metric.Name);
        metric.Update([1f, 3f], [2f, 1f], default, 2);
        Assert.Equal(1.5f, metric.Result());
        Assert.Equal(inner.Result(), metric.Result());
    }

    [Fact]
    public void ModelChecks_NameTheArgument_WithTheExpectedAndActualSizes()
    {
        var buffer = new float[4];
        var error = Assert.Throws<ArgumentException>(() => ModelChecks.CopyOut(buffer, new float[3], "destination", "the parameters"));
        Assert.Equal("destination", error.ParamName);
        Assert.Contains("Expected 4 floats (the parameters); got 3", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => ModelChecks.CopyIn(new float[5], buffer, "values", "the state"));
        Assert.Equal("values", error.ParamName);
        ModelChecks.CopyIn([1f, 2, 3, 4], buffer, "values", "the parameters");
        Assert.Equal([1f, 2, 3, 4], buffer);
    }
}
