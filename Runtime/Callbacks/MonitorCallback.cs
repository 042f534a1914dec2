namespace Gen;

/// <summary>Whether a monitored quantity should fall or rise (Keras's <c>mode</c>).</summary>
public enum MonitorMode
{
    /// <summary>Inferred from the name: "loss" and error-like metrics fall, accuracy-like metrics rise.</summary>
    Auto,

    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>
/// The shared logic of callbacks that watch one entry of the epoch logs (Keras's <c>MonitorCallback</c>):
/// <list type="bullet">
/// <item><see cref="MonitorMode.Auto"/> strips a "val_" prefix, then "loss" falls; accuracy-like metrics, AUC,
/// precision, recall, F1/F-beta, R², IoU and cosine similarity rise; errors, cross-entropies, hinge, KL divergence
/// and Poisson fall (a Keras suffix such as "_1" is ignored). Any other name is an <see cref="ArgumentException"/>
/// at <see cref="OnTrainBegin"/> naming the monitor and the available keys, since Keras raises for a metric
/// whose direction it cannot find.</item>
/// <item>The improvement test is <c>current − minDelta &gt; reference</c> when rising and
/// <c>current + minDelta &lt; reference</c> when falling; <see cref="MinDelta"/> is absolute. No reference (the
/// first value) always counts as an improvement.</item>
/// <item>A monitor missing from an epoch's logs is skipped for that epoch, with one warning per run on
/// <see cref="TrainingContext.Warnings"/>.</item>
/// </list>
/// </summary>
public abstract class MonitorCallback : Callback
{
    private static readonly HashSet<string> Rising = new(StringComparer.Ordinal)
    {
        "acc", "accuracy", "auc", "prc", "precision", "recall", "f1_score", "fbeta_score", "r2_score",
        "cosine_similarity", "iou", "io_u", "mean_iou", "mean_io_u", "binary_iou", "binary_io_u", "one_hot_iou",
        "one_hot_io_u", "one_hot_mean_iou", "one_hot_mean_io_u", "precision_at_recall", "recall_at_precision",
        "sensitivity_at_specificity", "specificity_at_sensitivity", "true_positives", "true_negatives",
    };

    private static readonly HashSet<string> Falling = new(StringComparer.Ordinal)
    {
        "mse", "mae", "mape", "msle", "rmse", "hinge", "squared_hinge", "categorical_hinge", "logcosh", "log_cosh",
        "kl_divergence", "kld", "kullback_leibler_divergence", "poisson", "huber", "false_positives", "false_negatives",
    };

    private bool _warned;

    /// <param name="monitor">The key of the epoch logs to watch ("val_loss", "accuracy", ...).</param>
    /// <param name="mode">Whether the quantity should fall or rise, or <see cref="MonitorMode.Auto"/> to infer it from the name.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (its absolute value is used).</param>
    protected MonitorCallback(string monitor, MonitorMode mode, double minDelta)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Expected MonitorMode Auto, Min or Max; got {(int)mode}.");
        if (!double.IsFinite(minDelta))
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, $"Expected a finite minDelta; got {minDelta}.");
        Monitor = monitor;
        Mode = mode;
        MinDelta = Math.Abs(minDelta);
        if (mode != MonitorMode.Auto) Maximize = mode == MonitorMode.Max;
    }

    /// <summary>The key of the epoch logs watched.</summary>
    public string Monitor { get; }

    /// <summary>The mode as given.</summary>
    public MonitorMode Mode { get; }

    /// <summary>The smallest absolute change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether higher values are better: from <see cref="Mode"/>, or inferred at <see cref="OnTrainBegin"/>.</summary>
    protected bool Maximize { get; private set; }

    /// <summary>Resolves the direction (throwing when Auto cannot) and re-arms the missing-monitor warning. Overrides must call it.</summary>
    /// <exception cref="ArgumentException">Auto mode and a monitor whose direction is unknown.</exception>
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _warned = false;
        if (Mode != MonitorMode.Auto) return;
        Maximize = InferMaximize(Monitor) ?? throw new ArgumentException(
            $"{GetType().Name} cannot tell whether '{Monitor}' should be minimized or maximized; pass mode: MonitorMode.Min or MonitorMode.Max. " +
            $"The logs will hold: {string.Join(", ", context.LogNames)}.", "monitor");
    }

    /// <summary>
    /// Keras's <c>_is_improvement</c>: whether <paramref name="current"/> beats <paramref name="reference"/> by more
    /// than <see cref="MinDelta"/> in the monitored direction; true when there is no reference yet.
    /// </summary>
    protected bool IsImprovement(double current, double? reference)
    {
        if (reference is not { } r) return true;
        return Maximize ? current - MinDelta > r : current + MinDelta < r;
    }

    /// <summary>Reads the monitored value; when it is missing, warns once per run and returns false.</summary>
    protected bool TryGetMonitorValue(IReadOnlyDictionary<string, float> logs, out float value)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (logs.TryGetValue(Monitor, out value)) return true;
        if (!_warned)
        {
            _warned = true;
            Context.Warnings.WriteLine(
                $"{GetType().Name} is conditioned on metric `{Monitor}` which is not available; skipping. Available metrics are: {string.Join(",", logs.Keys)}");
        }
        return false;
    }

    /// <summary>True when a larger value of <paramref name="monitor"/> is better, false when a smaller one is, null when unknown.</summary>
    internal static bool? InferMaximize(string monitor)
    {
        string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        if (name == "loss") return false;
        // Keras makes repeated metric names unique with a suffix: "auc_1".
        int underscore = name.LastIndexOf('_');
        if (underscore > 0 && underscore < name.Length - 1 && !name.AsSpan(underscore + 1).ContainsAnyExceptInRange('0', '9'))
            name = name[..underscore];
        if (Rising.Contains(name) || name.EndsWith("accuracy", StringComparison.Ordinal)) return true;
        if (Falling.Contains(name) || name.EndsWith("_error", StringComparison.Ordinal)
            || name.EndsWith("crossentropy", StringComparison.Ordinal) || name.EndsWith("_loss", StringComparison.Ordinal))
            return false;
        return null;
    }
}
