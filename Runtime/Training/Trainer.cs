namespace Gen;

/// <summary>
/// The training, evaluation and prediction loops shared by every generated model (Keras's <c>fit</c>,
/// <c>evaluate</c>, <c>predict</c>, <c>train_on_batch</c>, <c>test_on_batch</c>).
/// </summary>
public static class Trainer
{
    public static History Fit(IModel model, Features x, Targets y, int epochs = 1, int batchSize = 32,
        double validationSplit = 0, (Features X, Targets Y)? validationData = null, bool shuffle = true,
        int? seed = null, int verbose = 1, float[]? sampleWeight = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(epochs, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(batchSize, 0);
        float[] xs = x.Flatten(model.InputSize, nameof(x), out int n);
        float[] ys = y.Flatten(model.TargetSize, nameof(y), out int ny);
        if (ny != n) throw new ArgumentException($"y has {ny} samples; expected {n}, as x.", nameof(y));
        var history = new History();
        var metrics = model.CreateMetrics();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        float[] xb = new float[batchSize * model.InputSize], yb = new float[batchSize * model.TargetSize];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            if (shuffle)
                for (int i = n - 1; i > 0; i--)
                {
                    int j = Philox.NextInt((ulong)(seed ?? 0), (ulong)i, (ulong)epoch, i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
            foreach (var m in metrics) m.Reset();
            double lossSum = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                int b = Math.Min(batchSize, n - start);
                for (int r = 0; r < b; r++)
                {
                    xs.AsSpan(order[start + r] * model.InputSize, model.InputSize).CopyTo(xb.AsSpan(r * model.InputSize));
                    ys.AsSpan(order[start + r] * model.TargetSize, model.TargetSize).CopyTo(yb.AsSpan(r * model.TargetSize));
                }
                var xSpan = xb.AsSpan(0, b * model.InputSize);
                var ySpan = yb.AsSpan(0, b * model.TargetSize);
                float loss = model.ComputeGradients(xSpan, ySpan, default, b);
                foreach (var m in metrics) m.Update(model.Output, ySpan, default, b);
                model.Optimizer.Apply(model.Parameters, model.Gradients);
                lossSum += (double)loss * b;
            }
            history.Add("loss", (float)(lossSum / n));
            foreach (var m in metrics) history.Add(m.Name, m.Result());
            if (verbose > 0)
                Console.WriteLine($"Epoch {epoch + 1}/{epochs} - loss: {lossSum / n:F4}" + string.Concat(metrics.Select(m => $" - {m.Name}: {m.Result():F4}")));
        }
        return history;
    }

    public static Evaluation Evaluate(IModel model, Features x, Targets y, int batchSize = 32, float[]? sampleWeight = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(batchSize, 0);
        float[] xs = x.Flatten(model.InputSize, nameof(x), out int n);
        float[] ys = y.Flatten(model.TargetSize, nameof(y), out int ny);
        if (ny != n) throw new ArgumentException($"y has {ny} samples; expected {n}, as x.", nameof(y));
        var metrics = model.CreateMetrics();
        double lossSum = 0;
        float[] grad = [];
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            var xSpan = xs.AsSpan(start * model.InputSize, b * model.InputSize);
            var ySpan = ys.AsSpan(start * model.TargetSize, b * model.TargetSize);
            model.Forward(xSpan, b);
            float loss = model.Loss.Compute(model.Output, ySpan, default, b, grad);
            foreach (var m in metrics) m.Update(model.Output, ySpan, default, b);
            lossSum += (double)loss * b;
        }
        return new Evaluation((float)(lossSum / n), metrics.Select(m => m.Name).ToArray(), metrics.Select(m => m.Result()).ToArray());
    }

    public static float[,] Predict(IModel model, Features x, int batchSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(batchSize, 0);
        float[] xs = x.Flatten(model.InputSize, nameof(x), out int n);
        var result = new float[n, model.OutputSize];
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            model.Forward(xs.AsSpan(start * model.InputSize, b * model.InputSize), b);
            for (int r = 0; r < b; r++)
                for (int j = 0; j < model.OutputSize; j++) result[start + r, j] = model.Output[r * model.OutputSize + j];
        }
        return result;
    }

    /// <summary>One optimizer step on one batch (Keras's <c>train_on_batch</c>); returns the batch loss.</summary>
    public static float TrainStep(IModel model, Features x, Targets y, float[]? sampleWeight = null)
    {
        float[] xs = x.Flatten(model.InputSize, nameof(x), out int n);
        float[] ys = y.Flatten(model.TargetSize, nameof(y), out int ny);
        if (ny != n) throw new ArgumentException($"y has {ny} samples; expected {n}, as x.", nameof(y));
        float loss = model.ComputeGradients(xs, ys, sampleWeight, n);
        model.Optimizer.Apply(model.Parameters, model.Gradients);
        return loss;
    }

    /// <summary>One optimizer step on a batch in row-major buffers; allocates nothing once the model is warm.</summary>
    public static float TrainStep(IModel model, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch)
    {
        float loss = model.ComputeGradients(x, y, sampleWeight, batch);
        model.Optimizer.Apply(model.Parameters, model.Gradients);
        return loss;
    }

    /// <summary>The loss and metrics of one batch without updating (Keras's <c>test_on_batch</c>).</summary>
    public static Evaluation TestStep(IModel model, Features x, Targets y, float[]? sampleWeight = null)
        => Evaluate(model, x, y, int.MaxValue, sampleWeight);
}
