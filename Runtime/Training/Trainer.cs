using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen;

/// <summary>
/// The training, evaluation and prediction loops shared by every generated model (Keras's <c>fit</c>,
/// <c>evaluate</c>, <c>predict</c>, <c>train_on_batch</c>, <c>test_on_batch</c>), with Keras 3's semantics:
/// <list type="bullet">
/// <item>a validation split takes the last samples, before any shuffling;</item>
/// <item>the training samples are shuffled every epoch by a counter-based generator (Philox, key = seed, stream = epoch),
/// so a seed gives the same order on any machine; the last, partial batch is kept;</item>
/// <item>an epoch's loss is the mean of the batch losses weighted by batch size; metrics accumulate over the
/// epoch from each step's forward pass (before that step's update) and are reset at each epoch start.</item>
/// </list>
/// Data are checked before anything runs: a wrong shape, a sample count that does not match, NaN or infinity,
/// a class label out of range or a bad sample weight is an <see cref="ArgumentException"/> naming the argument.
/// After the first step the per-step work allocates nothing on the managed heap.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains the model for <paramref name="epochs"/> passes over the data (Keras's <c>fit</c>) and returns the
    /// per-epoch logs: "loss", each metric's name, "val_loss" and "val_" + each name when there are validation
    /// data, then "learning_rate" (the optimizer's rate at the end of the epoch, i.e. for the next step, as Keras logs optimizer.learning_rate).
    /// </summary>
    /// <param name="validationSplit">0, or the fraction in (0, 1) of samples, taken from the end before shuffling, to hold out for validation.</param>
    /// <param name="validationData">Validation samples given separately (not together with <paramref name="validationSplit"/>).</param>
    /// <param name="shuffle">Whether to shuffle the training samples at each epoch.</param>
    /// <param name="seed">The shuffle's key (0 when null): the same seed gives the same order everywhere.</param>
    /// <param name="verbose">0 silent, 1 a progress bar, 2 one line per epoch.</param>
    /// <param name="sampleWeight">One finite, non-negative weight per sample of <paramref name="x"/>, or null for all ones.</param>
    /// <param name="callbacks">Hooks called in Keras's order (see <see cref="Callback"/>), in the order given, before the
    /// progress display. Training stops after the epoch in which one sets <see cref="TrainingContext.StopTraining"/>.</param>
    public static History Fit(IModel model, Features x, Targets y, int epochs = 1, int batchSize = 32,
        double validationSplit = 0, (Features X, Targets Y)? validationData = null, bool shuffle = true,
        int? seed = null, int verbose = 1, float[]? sampleWeight = null, IEnumerable<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (verbose is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(verbose), verbose, $"Expected verbose 0 (silent), 1 (progress bar) or 2 (one line per epoch); got {verbose}.");
        return Fit(model, x, y, epochs, batchSize, validationSplit, validationData, shuffle, seed, sampleWeight,
            verbose > 0 ? ProgressDisplay.ForConsole(verbose) : null, callbacks);
    }

    internal static History Fit(IModel model, Features x, Targets y, int epochs, int batchSize, double validationSplit,
        (Features X, Targets Y)? validationData, bool shuffle, int? seed, float[]? sampleWeight, ProgressDisplay? display,
        IEnumerable<Callback>? callbacks = null)
    {
        CheckPositive(epochs, nameof(epochs), "epoch");
        CheckPositive(batchSize, nameof(batchSize), "sample per batch");
        if (!(validationSplit == 0 || (validationSplit > 0 && validationSplit < 1)))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, string.Create(CultureInfo.InvariantCulture,
                $"Expected a validation split of 0 or a fraction in (0, 1); got {validationSplit}."));
        if (validationData is not null && validationSplit != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Give validationData or validationSplit, not both; got validationData and validationSplit {validationSplit}."), nameof(validationData));
        Callback[] hooks = CallbackList(callbacks, display);

        var all = SampleSet.Load(model, x, y, sampleWeight, nameof(x), nameof(y), nameof(x), nameof(y));
        SampleSet train = all, validation = default;
        if (validationSplit > 0)
        {
            // Keras's train_validation_split: the last samples, before any shuffling.
            int splitAt = (int)Math.Floor(all.Count * (1.0 - validationSplit));
            if (splitAt == 0 || splitAt == all.Count)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"A validation split of {validationSplit} of {all.Count} samples leaves {splitAt} for training and {all.Count - splitAt} for validation; expected at least 1 of each."),
                    nameof(validationSplit));
            train = all.Slice(0, splitAt);
            validation = all.Slice(splitAt, all.Count - splitAt);
        }
        else if (validationData is { } vd)
        {
            validation = SampleSet.Load(model, vd.X, vd.Y, null, nameof(validationData), nameof(validationData), "validationData.X", "validationData.Y");
        }
        bool validate = validation.Count > 0;

        var metrics = model.CreateMetrics();
        var validationMetrics = validate ? model.CreateMetrics() : [];
        string[] names = LogNames(metrics, validate);
        int trainLogs = 1 + metrics.Length;
        var batchLogs = new RunningLogs(names[..trainLogs], model, metrics);
        var epochLogs = new LogValues(names);
        var logs = epochLogs.Writable;
        var history = new History();

        int inputSize = model.InputSize, targetSize = model.TargetSize;
        int n = train.Count;
        int steps = (n + batchSize - 1) / batchSize;
        int capacity = Math.Min(batchSize, n);
        float[] xb = new float[capacity * inputSize], yb = new float[capacity * targetSize];
        float[] wb = train.HasWeights ? new float[capacity] : [];
        int[] order = new int[n];
        int[] inputWidths = model.InputWidths.ToArray(), targetWidths = model.TargetWidths.ToArray();
        ulong key = unchecked((ulong)(seed ?? 0));

        var context = new TrainingContext(model, epochs, steps, names);
        foreach (var hook in hooks) hook.Attach(context);
        foreach (var hook in hooks) hook.OnTrainBegin(context);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            Permute(order, shuffle, key, (ulong)epoch);
            foreach (var m in metrics) m.Reset();
            foreach (var hook in hooks) hook.OnEpochBegin(epoch);
            batchLogs.Restart();
            for (int step = 0; step < steps; step++)
            {
                int start = step * batchSize, b = Math.Min(batchSize, n - start);
                var rows = order.AsSpan(start, b);
                var xs = xb.AsSpan(0, b * inputSize);
                var ys = yb.AsSpan(0, b * targetSize);
                var ws = wb.AsSpan(0, train.HasWeights ? b : 0);
                train.Gather(rows, xs, ys, ws, inputSize, targetSize, inputWidths, targetWidths);
                foreach (var hook in hooks) hook.OnTrainBatchBegin(step);

                // The model's step: forward, loss, backward, update; the loss and the metrics accumulate in it.
                model.TrainStep(xs, ys, ws, b, metrics);

                batchLogs.Stepped();
                foreach (var hook in hooks) hook.OnTrainBatchEnd(step, batchLogs);
                if (context.StopTraining) break;
            }
            batchLogs.Values.CopyTo(logs);
            if (validate)
            {
                logs[trainLogs] = (float)EvaluateCore(model, validation, batchSize, validationMetrics);
                for (int i = 0; i < validationMetrics.Length; i++) logs[trainLogs + 1 + i] = validationMetrics[i].Result();
            }
            logs[^1] = model.Optimizer.LearningRate;
            for (int i = 0; i < names.Length; i++) history.Add(names[i], logs[i]);
            foreach (var hook in hooks) hook.OnEpochEnd(epoch, epochLogs);
            if (context.StopTraining) break;
        }
        // Keras: with an EMA the weights become their moving average before the callbacks' train end.
        model.FinalizeWeights();
        foreach (var hook in hooks) hook.OnTrainEnd(epochLogs);
        return history;
    }

    /// <summary>The user's callbacks in order, then the progress display (Keras appends its ProgbarLogger last).</summary>
    private static Callback[] CallbackList(IEnumerable<Callback>? callbacks, ProgressDisplay? display)
    {
        var list = new List<Callback>();
        if (callbacks is not null)
        {
            foreach (var callback in callbacks)
            {
                if (callback is null)
                    throw new ArgumentException($"callbacks[{list.Count}] is null; expected a Callback.", nameof(callbacks));
                list.Add(callback);
            }
        }
        if (display is not null) list.Add(display);
        return [.. list];
    }

    /// <summary>
    /// The batch logs: the epoch's running loss (the batch losses weighted by batch size, as Keras 3's loss
    /// tracker) and metrics, computed only when a callback reads them.
    /// </summary>
    private sealed class RunningLogs(string[] names, IModel model, Metric[] metrics) : LogValues(names)
    {
        public void Restart()
        {
            model.ResetRunningLoss();
            Invalidate();
        }

        public void Stepped() => Invalidate();

        protected override void Fill(Span<float> values)
        {
            values[0] = model.RunningLoss;
            for (int i = 0; i < metrics.Length; i++) values[1 + i] = metrics[i].Result();
        }
    }

    /// <summary>
    /// The loss and metrics over all samples, in batches of <paramref name="batchSize"/> in order, in inference
    /// mode (Keras's <c>evaluate</c>). The loss is the mean of the batch losses weighted by batch size.
    /// </summary>
    public static Evaluation Evaluate(IModel model, Features x, Targets y, int batchSize = 32, float[]? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckPositive(batchSize, nameof(batchSize), "sample per batch");
        var data = SampleSet.Load(model, x, y, sampleWeight, nameof(x), nameof(y), nameof(x), nameof(y));
        return ToEvaluation(model, data, batchSize);
    }

    /// <summary>The model's predictions, <c>samples × OutputSize</c>, computed in batches in inference mode (Keras's <c>predict</c>).</summary>
    public static float[,] Predict(IModel model, Features x, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckPositive(batchSize, nameof(batchSize), "sample per batch");
        int inputSize = model.InputSize, outputSize = model.OutputSize;
        float[] xs = x.Flatten(inputSize, nameof(x), out int n);
        var result = new float[n, outputSize];
        var flat = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length);
        using var inputs = new PartBuffer(model.InputWidths, Math.Min(batchSize, n));
        using var outputs = new PartBuffer(model.OutputWidths, Math.Min(batchSize, n));
        for (int start = 0; start < n; start += batchSize)
        {
            int b = Math.Min(batchSize, n - start);
            model.Forward(inputs.FromRows(xs.AsSpan(start * inputSize, b * inputSize), b), b);
            var rows = flat.Slice(start * outputSize, b * outputSize);
            if (outputs.Single) model.ReadOutput(rows);
            else
            {
                var parts = outputs.Take(b);
                model.ReadOutput(parts);
                PartMajor.ToRows(parts, b, model.OutputWidths, rows);
            }
        }
        return result;
    }

    /// <summary>One optimizer step on one batch (Keras's <c>train_on_batch</c>); returns the batch loss before the update.</summary>
    public static float TrainStep(IModel model, Features x, Targets y, float[]? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var data = SampleSet.Load(model, x, y, sampleWeight, nameof(x), nameof(y), nameof(x), nameof(y));
        return Step(model, data.XRows(0, data.Count, model.InputSize), data.YRows(0, data.Count, model.TargetSize),
            data.WeightRows(0, data.Count), data.Count);
    }

    /// <summary>
    /// One optimizer step on one batch held in spans: <paramref name="x"/> is <c>batch × InputSize</c> floats,
    /// <paramref name="y"/> <c>batch × TargetSize</c>, <paramref name="sampleWeight"/> empty (all ones) or one
    /// weight per sample. Computes the gradients, then applies the optimizer; returns the batch loss before the
    /// update. Checks the lengths and values as the other entry points do and allocates nothing.
    /// </summary>
    public static float TrainStep(IModel model, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckPositive(batch, nameof(batch), "sample");
        CheckLength(x.Length, batch, model.InputSize, nameof(x), "InputSize");
        CheckLength(y.Length, batch, model.TargetSize, nameof(y), "TargetSize");
        DataChecks.CheckFinite(x, model.InputSize, nameof(x), nameof(x));
        DataChecks.CheckFinite(y, model.TargetSize, nameof(y), nameof(y));
        model.CheckTargets(y, nameof(y), nameof(y));
        if (!sampleWeight.IsEmpty) DataChecks.CheckWeights(sampleWeight, batch, nameof(sampleWeight), nameof(sampleWeight));
        return Step(model, x, y, sampleWeight, batch);
    }

    /// <summary>The loss and metrics of one batch, without updating (Keras's <c>test_on_batch</c>).</summary>
    public static Evaluation TestStep(IModel model, Features x, Targets y, float[]? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var data = SampleSet.Load(model, x, y, sampleWeight, nameof(x), nameof(y), nameof(x), nameof(y));
        return ToEvaluation(model, data, data.Count);
    }

    /// <summary>One step on side-by-side rows: part by part for the model, then its step; returns the batch loss.</summary>
    private static float Step(IModel model, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch)
    {
        using var inputs = new PartBuffer(model.InputWidths, batch);
        using var targets = new PartBuffer(model.TargetWidths, batch);
        model.ResetRunningLoss();
        model.TrainStep(inputs.FromRows(x, batch), targets.FromRows(y, batch), sampleWeight, batch, []);
        return model.RunningLoss;
    }

    /// <summary>
    /// A batch part by part (<see cref="PartMajor"/>): for one part, the rows themselves; for several, a buffer of the
    /// given capacity taken from the shared pool (so a warm loop allocates nothing) that the rows are copied into.
    /// </summary>
    private ref struct PartBuffer
    {
        private readonly ReadOnlySpan<int> _widths;
        private readonly float[]? _buffer;

        public PartBuffer(ReadOnlySpan<int> widths, int capacity)
        {
            _widths = widths;
            if (widths.Length > 1)
            {
                int width = 0;
                foreach (int w in widths) width += w;
                _buffer = System.Buffers.ArrayPool<float>.Shared.Rent(checked(capacity * width));
            }
        }

        public readonly void Dispose()
        {
            if (_buffer is not null) System.Buffers.ArrayPool<float>.Shared.Return(_buffer);
        }

        public readonly bool Single => _buffer is null;

        public readonly Span<float> Take(int batch)
        {
            int width = 0;
            foreach (int w in _widths) width += w;
            return _buffer.AsSpan(0, batch * width);
        }

        public readonly ReadOnlySpan<float> FromRows(ReadOnlySpan<float> rows, int batch)
        {
            if (_buffer is null) return rows;
            var parts = Take(batch);
            PartMajor.FromRows(rows, batch, _widths, parts);
            return parts;
        }
    }

    private static Evaluation ToEvaluation(IModel model, SampleSet data, int batchSize)
    {
        var metrics = model.CreateMetrics();
        float loss = (float)EvaluateCore(model, data, batchSize, metrics);
        var names = new string[metrics.Length];
        var values = new float[metrics.Length];
        for (int i = 0; i < metrics.Length; i++)
        {
            names[i] = metrics[i].Name;
            values[i] = metrics[i].Result();
        }
        return new Evaluation(loss, names, values);
    }

    /// <summary>Resets <paramref name="metrics"/>, runs every batch in order in inference mode, returns the batch-size-weighted loss.</summary>
    private static double EvaluateCore(IModel model, SampleSet data, int batchSize, Metric[] metrics)
    {
        foreach (var m in metrics) m.Reset();
        model.ResetRunningLoss();
        int inputSize = model.InputSize, targetSize = model.TargetSize;
        using var inputs = new PartBuffer(model.InputWidths, Math.Min(batchSize, data.Count));
        using var targets = new PartBuffer(model.TargetWidths, Math.Min(batchSize, data.Count));
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int b = Math.Min(batchSize, data.Count - start);
            model.TestStep(inputs.FromRows(data.XRows(start, b, inputSize), b), targets.FromRows(data.YRows(start, b, targetSize), b),
                data.WeightRows(start, b), b, metrics);
        }
        return model.RunningLoss;
    }

    /// <summary>
    /// The identity, then (when shuffling) a Fisher–Yates shuffle whose draws come from Philox under the key
    /// with the epoch as the stream: each epoch's order is a pure function of (seed, epoch).
    /// </summary>
    private static void Permute(Span<int> order, bool shuffle, ulong key, ulong epoch)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (!shuffle) return;
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = Philox.NextInt(key, (ulong)i, epoch, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>"loss", the metrics, then "val_loss" and "val_" + each metric with validation, then "learning_rate".</summary>
    private static string[] LogNames(Metric[] metrics, bool validation)
    {
        int train = 1 + metrics.Length;
        var names = new string[train * (validation ? 2 : 1) + 1];
        names[0] = "loss";
        for (int i = 0; i < metrics.Length; i++) names[1 + i] = metrics[i].Name;
        if (validation)
            for (int i = 0; i < train; i++) names[train + i] = "val_" + names[i];
        names[^1] = "learning_rate";
        return names;
    }

    private static void CheckPositive(int value, string paramName, string unit)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(paramName, value, $"Expected {paramName} of at least 1 {unit}; got {value}.");
    }

    private static void CheckLength(int actual, int batch, int width, string paramName, string widthName)
    {
        if ((long)actual != (long)batch * width)
            throw new ArgumentException(
                $"{paramName} holds {actual} floats; expected batch × {widthName} = {batch} × {width} = {(long)batch * width}.", paramName);
    }

    /// <summary>
    /// Checked, flattened samples: rows [Start, Start + Count) of <c>X</c> (InputSize floats each), <c>Y</c>
    /// (TargetSize floats each) and, when given, one weight each.
    /// </summary>
    private readonly struct SampleSet
    {
        private readonly float[] _x, _y;
        private readonly float[]? _weights;
        private readonly int _start;

        private SampleSet(float[] x, float[] y, float[]? weights, int start, int count)
        {
            _x = x;
            _y = y;
            _weights = weights;
            _start = start;
            Count = count;
        }

        public int Count { get; }

        public bool HasWeights => _weights is not null;

        public static SampleSet Load(IModel model, Features x, Targets y, float[]? sampleWeight,
            string xParam, string yParam, string xName, string yName)
        {
            float[] xs = x.Flatten(model.InputSize, xParam, xName, out int n);
            float[] ys = y.Flatten(model.TargetSize, yParam, yName, out int ny);
            DataChecks.CheckSameCount(ny, n, yParam, yName, xName);
            model.CheckTargets(ys, yParam, yName);
            if (sampleWeight is not null) DataChecks.CheckWeights(sampleWeight, n, nameof(sampleWeight), nameof(sampleWeight));
            return new SampleSet(xs, ys, sampleWeight, 0, n);
        }

        public SampleSet Slice(int start, int count) => new(_x, _y, _weights, _start + start, count);

        public ReadOnlySpan<float> XRows(int row, int count, int width) => _x.AsSpan((_start + row) * width, count * width);

        public ReadOnlySpan<float> YRows(int row, int count, int width) => _y.AsSpan((_start + row) * width, count * width);

        public ReadOnlySpan<float> WeightRows(int row, int count) => _weights is null ? default : _weights.AsSpan(_start + row, count);

        /// <summary>
        /// Copies the given rows (relative to this set), in that order, into the batch buffers, each input's and each
        /// output's columns as their own block (<see cref="PartMajor"/>), where the model's step reads them.
        /// </summary>
        public void Gather(ReadOnlySpan<int> rows, Span<float> x, Span<float> y, Span<float> weights, int inputSize, int targetSize,
            ReadOnlySpan<int> inputWidths, ReadOnlySpan<int> targetWidths)
        {
            PartMajor.Gather(_x.AsSpan(_start * inputSize), rows, inputSize, inputWidths, x);
            PartMajor.Gather(_y.AsSpan(_start * targetSize), rows, targetSize, targetWidths, y);
            if (_weights is not null)
                for (int r = 0; r < rows.Length; r++) weights[r] = _weights[_start + rows[r]];
        }
    }
}
