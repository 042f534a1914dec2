using System.Collections;

namespace Gen;

/// <summary>
/// The logs handed to callbacks: a fixed, ordered set of names with one float each, read through
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> and reused for every batch or epoch, so that passing logs
/// allocates nothing. A subclass can compute the values lazily: <see cref="Invalidate"/> marks them stale and
/// the first read calls <see cref="Fill"/>.
/// </summary>
internal class LogValues : IReadOnlyDictionary<string, float>
{
    private readonly string[] _names;
    private readonly IReadOnlyList<string> _keys;
    private readonly float[] _values;
    private bool _stale;

    public LogValues(string[] names)
    {
        _names = names;
        _keys = Array.AsReadOnly(names);
        _values = new float[names.Length];
    }

    /// <summary>The names, in order.</summary>
    public ReadOnlySpan<string> Names => _names;

    /// <summary>The values, in the order of <see cref="Names"/>, brought up to date first.</summary>
    public ReadOnlySpan<float> Values
    {
        get
        {
            Refresh();
            return _values;
        }
    }

    /// <summary>The values for the owner to write in place.</summary>
    public Span<float> Writable => _values;

    /// <summary>Marks the values stale: the next read recomputes them with <see cref="Fill"/>.</summary>
    public void Invalidate() => _stale = true;

    /// <summary>Computes every value; the base class holds what its owner wrote.</summary>
    protected virtual void Fill(Span<float> values) { }

    private void Refresh()
    {
        if (!_stale) return;
        _stale = false;
        Fill(_values);
    }

    public float this[string key] => TryGetValue(key, out float value)
        ? value
        : throw new KeyNotFoundException($"The logs have no '{key}'; they have: {string.Join(", ", _names)}.");

    public IEnumerable<string> Keys => _keys;

    IEnumerable<float> IReadOnlyDictionary<string, float>.Values
    {
        get
        {
            Refresh();
            return (float[])_values.Clone();
        }
    }

    public int Count => _names.Length;

    public bool ContainsKey(string key) => Array.IndexOf(_names, key) >= 0;

    public bool TryGetValue(string key, out float value)
    {
        int i = Array.IndexOf(_names, key);
        if (i < 0)
        {
            value = 0;
            return false;
        }
        Refresh();
        value = _values[i];
        return true;
    }

    public IEnumerator<KeyValuePair<string, float>> GetEnumerator()
    {
        Refresh();
        for (int i = 0; i < _names.Length; i++) yield return new(_names[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
