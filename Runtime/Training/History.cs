namespace Gen;

/// <summary>
/// What <c>Fit</c> recorded: for each key ("loss", each metric's name, "val_"-prefixed validation figures and
/// "learning_rate"), one value per epoch, as Keras's <c>History.history</c>.
/// </summary>
public sealed class History
{
    private readonly Dictionary<string, List<float>> _values = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    /// <summary>The keys in the order they were first recorded.</summary>
    public IReadOnlyList<string> Keys => _keys;

    /// <summary>The number of epochs recorded.</summary>
    public int Epochs => _keys.Count == 0 ? 0 : _values[_keys[0]].Count;

    /// <summary>The per-epoch values of one key.</summary>
    /// <exception cref="KeyNotFoundException">The key was never recorded; the message lists the keys that were.</exception>
    public IReadOnlyList<float> this[string key] => _values.TryGetValue(key, out var list)
        ? list
        : throw new KeyNotFoundException($"History has no '{key}'; it has: {string.Join(", ", _keys)}.");

    public bool TryGetValue(string key, out IReadOnlyList<float> values)
    {
        bool found = _values.TryGetValue(key, out var list);
        values = list ?? (IReadOnlyList<float>)[];
        return found;
    }

    /// <summary>Appends one epoch's value of a key.</summary>
    public void Add(string key, float value)
    {
        if (!_values.TryGetValue(key, out var list))
        {
            _values[key] = list = [];
            _keys.Add(key);
        }
        list.Add(value);
    }
}

/// <summary>The loss and the metrics of an evaluation, in the model's declared order.</summary>
public sealed class Evaluation
{
    public Evaluation(float loss, string[] metricNames, float[] metricValues)
    {
        Loss = loss;
        MetricNames = metricNames;
        MetricValues = metricValues;
    }

    public float Loss { get; }
    public IReadOnlyList<string> MetricNames { get; }
    public IReadOnlyList<float> MetricValues { get; }

    /// <summary>A metric's value by its Keras name.</summary>
    public float this[string name]
    {
        get
        {
            for (int i = 0; i < MetricNames.Count; i++) if (MetricNames[i] == name) return MetricValues[i];
            if (name == "loss") return Loss;
            throw new KeyNotFoundException($"No metric '{name}'; the model has: {string.Join(", ", MetricNames)}.");
        }
    }
}
