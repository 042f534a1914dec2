using Gen.Runtime.Tests.Training;

namespace Gen.Runtime.Tests.Callbacks;

/// <summary>
/// Drives one callback by hand, as Fit would, with scripted epoch logs: a small model whose parameters the test
/// sets, an SGD optimizer whose rate the callback may change, and captured messages and warnings.
/// </summary>
internal sealed class Harness
{
    public Harness(Callback callback, float learningRate = 1f, params string[] logNames)
    {
        Callback = callback;
        Model = new LinearModel(1, 1, new Sgd(learningRate));
        Context = new TrainingContext(Model, epochs: 100, stepsPerEpoch: 1,
            logNames.Length == 0 ? ["loss", "mae", "val_loss", "val_mae", "learning_rate"] : logNames)
        {
            Messages = Messages,
            Warnings = Warnings,
        };
        callback.Attach(Context);
        callback.OnTrainBegin(Context);
    }

    public Callback Callback { get; }
    public LinearModel Model { get; }
    public TrainingContext Context { get; }
    public StringWriter Messages { get; } = new();
    public StringWriter Warnings { get; } = new();
    public int Epoch { get; private set; }

    public float LearningRate => Model.Optimizer.LearningRate;

    /// <summary>Ends the next epoch with the given logs; returns whether training was asked to stop.</summary>
    public bool EndEpoch(params (string Key, float Value)[] logs)
    {
        Callback.OnEpochBegin(Epoch);
        Callback.OnEpochEnd(Epoch, logs.ToDictionary(l => l.Key, l => l.Value));
        Epoch++;
        return Context.StopTraining;
    }

    /// <summary>Ends the next epoch with "val_loss" = <paramref name="valLoss"/>.</summary>
    public bool EndEpoch(float valLoss) => EndEpoch(("loss", 1f), ("val_loss", valLoss));

    /// <summary>Runs epochs with the given val_loss values until one asks to stop; returns that epoch, or -1.</summary>
    public int StopEpoch(params float[] valLosses)
    {
        foreach (float v in valLosses)
            if (EndEpoch(v)) return Epoch - 1;
        return -1;
    }

    public void EndTraining() => Callback.OnTrainEnd(new Dictionary<string, float>());
}

/// <summary>Records every hook call as a line of text, with what it saw.</summary>
internal sealed class Recorder(string name, List<string> events) : Callback
{
    public Action<TrainingContext, int, int>? AtBatchEnd { get; init; }

    public override void OnTrainBegin(TrainingContext context) => events.Add($"{name} train_begin {context.Epochs}x{context.StepsPerEpoch}");
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs) => events.Add($"{name} train_end");
    public override void OnEpochBegin(int epoch) => events.Add($"{name} epoch_begin {epoch}");
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => events.Add($"{name} epoch_end {epoch} {string.Join(",", logs.Keys)}");
    public override void OnTrainBatchBegin(int batch) => events.Add($"{name} batch_begin {batch}");

    private int _epoch = -1;

    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (batch == 0) _epoch++;
        events.Add($"{name} batch_end {batch} {string.Join(",", logs.Keys)}");
        AtBatchEnd?.Invoke(Context, _epoch, batch);
    }
}

/// <summary>A metric whose value is always the same (to script a monitored quantity inside a real Fit).</summary>
internal sealed class ConstantMetric(string name, float value) : Metric
{
    public override string Name => name;
    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch) { }
    public override float Result() => value;
    public override void Reset() { }
}

/// <summary>Mean squared error, except that a sample whose target is <see cref="Poison"/> has a NaN loss (and no gradient).</summary>
internal sealed class PoisonedLoss : Loss
{
    public const float Poison = 999f;

    public override string Name => "poisoned_mse";

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        if (target[0] == Poison)
        {
            gradient.Clear();
            return float.NaN;
        }
        float e = prediction[0] - target[0];
        if (!gradient.IsEmpty) gradient[0] = 2 * e;
        return e * e;
    }
}
