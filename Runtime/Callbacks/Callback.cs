namespace Gen;

/// <summary>
/// A hook into <see cref="Trainer.Fit"/> (Keras's <c>keras.callbacks.Callback</c>). Every hook does nothing
/// unless overridden. <c>Fit</c> calls them in Keras's order:
/// <code>
/// OnTrainBegin
/// for each epoch:
///     OnEpochBegin
///     for each batch: OnTrainBatchBegin, the step, OnTrainBatchEnd   (stops early once StopTraining is set)
///     validation
///     OnEpochEnd                                                     (training ends here once StopTraining is set)
/// OnTrainEnd
/// </code>
/// Callbacks run in the order given, before the progress display. A callback reaches the model, the learning
/// rate and the stop flag through <see cref="Context"/>.
/// </summary>
/// <remarks>
/// The logs passed to the hooks are read-only views that <c>Fit</c> reuses from batch to batch and from epoch
/// to epoch: read them during the call and copy what you keep. Batch logs hold the running "loss" and metrics
/// of the epoch so far and are computed only when a callback reads them, so batch hooks cost nothing otherwise.
/// </remarks>
public abstract class Callback
{
    private TrainingContext? _context;

    /// <summary>The training run this callback is attached to; set by <c>Fit</c> before <see cref="OnTrainBegin"/>.</summary>
    /// <exception cref="InvalidOperationException">The callback is not attached to a run.</exception>
    protected TrainingContext Context => _context
        ?? throw new InvalidOperationException($"{GetType().Name} is not attached to a training run; Trainer.Fit attaches it before OnTrainBegin.");

    /// <summary>Attaches the callback to a run (what Keras's <c>set_model</c> does).</summary>
    internal void Attach(TrainingContext context) => _context = context;

    /// <summary>Called once before the first epoch, after the data have been checked.</summary>
    public virtual void OnTrainBegin(TrainingContext context) { }

    /// <summary>Called once after the last epoch with that epoch's logs (also when training stopped early).</summary>
    public virtual void OnTrainEnd(IReadOnlyDictionary<string, float> logs) { }

    /// <summary>Called at the start of epoch <paramref name="epoch"/> (0-based), before its first batch.</summary>
    public virtual void OnEpochBegin(int epoch) { }

    /// <summary>
    /// Called at the end of epoch <paramref name="epoch"/> (0-based), after validation, with its logs: "loss", each
    /// metric, "val_loss" and "val_" + each metric when there are validation data, and "learning_rate" (the
    /// optimizer's rate at the end of the epoch, i.e. for the next step, as Keras logs it).
    /// </summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { }

    /// <summary>Called before batch <paramref name="batch"/> (0-based, within the epoch) is trained on.</summary>
    public virtual void OnTrainBatchBegin(int batch) { }

    /// <summary>Called after batch <paramref name="batch"/>'s update, with the epoch's running "loss" and metrics so far.</summary>
    public virtual void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
}

/// <summary>
/// What a <see cref="Callback"/> can see and change during <see cref="Trainer.Fit"/>: the model's parameters, the
/// optimizer's learning rate, and the request to stop (Keras's <c>model.stop_training</c>).
/// </summary>
public sealed class TrainingContext
{
    /// <param name="model">The model being trained.</param>
    /// <param name="epochs">The number of epochs asked for.</param>
    /// <param name="stepsPerEpoch">The number of batches in one epoch.</param>
    /// <param name="logNames">The keys of the epoch logs, in order.</param>
    public TrainingContext(IModel model, int epochs, int stepsPerEpoch, IReadOnlyList<string> logNames)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(logNames);
        Model = model;
        Epochs = epochs;
        StepsPerEpoch = stepsPerEpoch;
        LogNames = logNames;
    }

    /// <summary>The model being trained.</summary>
    public IModel Model { get; }

    /// <summary>The number of epochs <c>Fit</c> was asked for.</summary>
    public int Epochs { get; }

    /// <summary>The number of batches in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The keys every epoch's logs hold, in order ("loss", metrics, validation figures, "learning_rate").</summary>
    public IReadOnlyList<string> LogNames { get; }

    /// <summary>A copy of the model's trainable weights (<see cref="IModel.CopyParametersTo"/>).</summary>
    public float[] CopyParameters()
    {
        var parameters = new float[Model.ParameterCount];
        Model.CopyParametersTo(parameters);
        return parameters;
    }

    /// <summary>The optimizer's learning rate; a new value applies from the next step.</summary>
    public float LearningRate
    {
        get => Model.Optimizer.LearningRate;
        set => Model.Optimizer.LearningRate = value;
    }

    /// <summary>
    /// Set to true to end training: <c>Fit</c> finishes the current batch, then validates, ends the epoch
    /// (<see cref="Callback.OnEpochEnd"/>) and ends training (<see cref="Callback.OnTrainEnd"/>).
    /// </summary>
    public bool StopTraining { get; set; }

    /// <summary>Where callbacks print what they did (Keras's <c>print_msg</c>); standard output unless replaced.</summary>
    public TextWriter Messages { get; set; } = Console.Out;

    /// <summary>Where callbacks print warnings (Keras's <c>warnings.warn</c>); standard error unless replaced.</summary>
    public TextWriter Warnings { get; set; } = Console.Error;
}
