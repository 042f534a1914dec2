using Gen;

namespace Gen.Generator.Tests.Numerics;

public class ModelBehaviourTests
{
    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_different_ones()
    {
        var a = new TanhGeluMse(seed: 42);
        var b = new TanhGeluMse(seed: 42);
        var c = new TanhGeluMse(seed: 43);
        Assert.Equal(a.Weights(), b.Weights());
        Assert.NotEqual(a.Weights(), c.Weights());
    }

    [Fact]
    public void Kernels_are_glorot_uniform_and_biases_zero()
    {
        var model = new TanhGeluMse(seed: 5);
        var p = model.Weights().AsSpan();
        // Layer 0: kernel (5, 4) at 0, bias (4) at 20; layer 1: kernel (4, 3) at 24, no bias; layer 2: kernel (3, 2) at 36, bias at 42.
        Assert.Equal(5 * 4 + 4 + 4 * 3 + 3 * 2 + 2, p.Length);
        AssertWithin(p.Slice(0, 20), Math.Sqrt(6.0 / 9));
        Assert.All(p.Slice(20, 4).ToArray(), v => Assert.Equal(0f, v));
        AssertWithin(p.Slice(24, 12), Math.Sqrt(6.0 / 7));
        AssertWithin(p.Slice(36, 6), Math.Sqrt(6.0 / 5));
        Assert.All(p.Slice(42, 2).ToArray(), v => Assert.Equal(0f, v));

        static void AssertWithin(Span<float> kernel, double limit)
        {
            Assert.All(kernel.ToArray(), v => Assert.InRange(Math.Abs(v), 0, limit));
            Assert.Contains(kernel.ToArray(), v => Math.Abs(v) > limit / 4); // not all squashed to zero
        }
    }

    [Fact]
    public void A_training_step_allocates_nothing_once_warm()
    {
        var model = new ReluEluSoftmaxSparse(seed: 1);
        const int batch = 16;
        var x = new float[batch * 4];
        var y = new float[batch];
        var random = new Random(3);
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        for (int i = 0; i < batch; i++) y[i] = i % 3;
        model.TrainStep(x, y, default, batch); // the first step sizes the arenas and the optimizer's slots
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 100; step++) model.TrainStep(x, y, default, batch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_training_step_large_enough_for_the_worker_threads_allocates_nothing_once_warm()
    {
        var model = new MnistCheck(seed: 1);
        const int batch = 64;
        var x = new float[batch * 784];
        var y = new float[batch];
        var random = new Random(3);
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        for (int i = 0; i < batch; i++) y[i] = i % 10;
        for (int step = 0; step < 3; step++) model.TrainStep(x, y, default, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 20; step++) model.TrainStep(x, y, default, batch);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Training_steps_reduce_the_loss()
    {
        var model = new SigmoidBinaryLogits(seed: 2);
        model.Optimizer.LearningRate = 0.5f;
        var random = new Random(9);
        const int n = 64;
        var x = new float[n * 3];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = (float)(random.NextDouble() * 2 - 1);
            y[i] = x[i * 3] + x[i * 3 + 1] > 0 ? 1 : 0;
        }
        float first = model.TrainStep(x, y, default, n);
        float last = first;
        for (int step = 0; step < 200; step++) last = model.TrainStep(x, y, default, n);
        Assert.True(last < first * 0.5f, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Predictions_of_a_batch_equal_predictions_one_sample_at_a_time()
    {
        var model = new SoftmaxCategoricalProbabilities(seed: 4);
        var random = new Random(5);
        var x = new float[7, 4];
        for (int i = 0; i < 7; i++) for (int j = 0; j < 4; j++) x[i, j] = (float)random.NextDouble();
        float[,] all = model.Predict(x, batchSize: 3);
        for (int i = 0; i < 7; i++)
        {
            var row = new float[1, 4];
            for (int j = 0; j < 4; j++) row[0, j] = x[i, j];
            float[,] one = model.Predict(row);
            for (int j = 0; j < 3; j++) Assert.Equal(one[0, j], all[i, j]); // bit-identical: no dependence on the batch
        }
    }

    [Fact]
    public void A_wrongly_sized_batch_is_rejected_with_the_sizes()
    {
        var model = new TanhGeluMse(seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => model.ComputeGradients(new float[9], new float[4], default, 2));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("10", ex.Message);
        Assert.Contains("9", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => model.ComputeGradients(new float[10], new float[3], default, 2));
        Assert.Equal("y", ex.ParamName);
    }
}
