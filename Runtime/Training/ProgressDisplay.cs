using System.Globalization;

namespace Gen;

/// <summary>
/// Prints <c>Fit</c>'s progress as Keras's <c>ProgbarLogger</c> does:
/// <code>
/// Epoch 3/10
/// 250/250 ━━━━━━━━━━━━━━━━━━━━ 1s 4ms/step - loss: 0.1234 - sparse_categorical_accuracy: 0.9612 - val_loss: 0.1500
/// </code>
/// verbose 0 prints nothing; verbose 1 prints the header ("Epoch e/E", only when there is more than one epoch)
/// and the bar line, redrawn in place with '\r' at most every <see cref="RedrawInterval"/> when the output is
/// a terminal, or written once at the end of the epoch when it is redirected; verbose 2 prints one line per
/// epoch without a bar ("250/250 - 1s - 4ms/step - loss: ..."). Numbers use the invariant culture and
/// Keras's formats (4 decimals, or 4-digit scientific notation when |v| ≤ 1e-3).
/// </summary>
/// <remarks>
/// A callback, as Keras's <c>ProgbarLogger</c>: <c>Fit</c> adds it after the user's callbacks when verbose &gt; 0.
/// It prints the logs' loss, metrics and validation figures, not "learning_rate". Redraws build the line in a
/// reused character buffer and format numbers in place, and read the batch logs only when a redraw is due, so
/// the per-step path allocates nothing.
/// </remarks>
internal sealed class ProgressDisplay : Callback
{
    private const string LearningRateKey = "learning_rate";

    /// <summary>The shortest time between two redraws of the bar (Keras waits 0.05 s; 0.1 s is ten redraws a second).</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private const int BarWidth = 20;
    private const char BarChar = '━';
    private const string Bold = "\x1b[1m", Green = "\x1b[32m", Grey = "\x1b[37m", Plain = "\x1b[0m";

    private readonly int _verbose;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly TimeProvider _time;
    private char[] _line = new char[256];
    private int _length, _visible, _previousVisible;
    private int _epochs, _steps;
    private long _epochStart, _afterFirstStep, _lastDraw;

    public ProgressDisplay(int verbose, TextWriter output, bool interactive, TimeProvider time)
    {
        _verbose = verbose;
        _output = output;
        _interactive = interactive;
        _time = time;
    }

    /// <summary>A display on the console; the bar is redrawn only when standard output is a terminal.</summary>
    public static ProgressDisplay ForConsole(int verbose)
        => new(verbose, Console.Out, interactive: verbose == 1 && !Console.IsOutputRedirected, TimeProvider.System);

    public override void OnTrainBegin(TrainingContext context) => OnTrainBegin(context.Epochs, context.StepsPerEpoch);

    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (!StepDone(batch + 1)) return;
        if (logs is LogValues values) OnBatchEnd(batch + 1, values.Names, values.Values);
        else OnBatchEnd(batch + 1, [.. logs.Keys], [.. logs.Select(pair => pair.Value)]);
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (logs is LogValues values) OnEpochEnd(values.Names, values.Values);
        else OnEpochEnd([.. logs.Keys], [.. logs.Select(pair => pair.Value)]);
    }

    public void OnTrainBegin(int epochs, int steps)
    {
        _epochs = epochs;
        _steps = steps;
    }

    public override void OnEpochBegin(int epoch)
    {
        _epochStart = _time.GetTimestamp();
        _afterFirstStep = 0;
        _lastDraw = long.MinValue;
        _previousVisible = 0;
        if (_verbose > 0 && _epochs > 1)
        {
            Clear();
            Append("Epoch ");
            Append(epoch + 1);
            Append('/');
            Append(_epochs);
            Append('\n');
            Flush();
        }
    }

    /// <summary>
    /// Records that step <paramref name="step"/> (1-based) has finished; returns whether the bar is due for a
    /// redraw, in which case the caller computes the logs and calls <see cref="OnBatchEnd"/>.
    /// </summary>
    public bool StepDone(int step)
    {
        if (_verbose != 1) return false;
        long now = _time.GetTimestamp();
        if (step == 1) _afterFirstStep = now;
        if (!_interactive) return false;
        return step == _steps || _lastDraw == long.MinValue || _time.GetElapsedTime(_lastDraw, now) >= RedrawInterval;
    }

    /// <summary>Redraws the bar in place with the running logs (verbose 1 on a terminal only).</summary>
    public void OnBatchEnd(int step, ReadOnlySpan<string> names, ReadOnlySpan<float> values)
    {
        if (_verbose != 1 || !_interactive) return;
        long now = _time.GetTimestamp();
        _lastDraw = now;
        Clear();
        Append('\r');
        AppendCountAndBar(step);
        double eta = StepSeconds(step, now) * (_steps - step);
        AppendStyled(' ', Bold);
        if (eta > 3600) { Append((int)(eta / 3600)); Append(':'); Append((int)(eta % 3600 / 60), 2); Append(':'); Append((int)(eta % 60), 2); }
        else if (eta > 60) { Append((int)(eta / 60)); Append(':'); Append((int)(eta % 60), 2); }
        else { Append((int)eta); Append('s'); }
        AppendStyle(Plain);
        AppendStepTime(StepSeconds(step, now));
        AppendLogs(names, values);
        Pad();
        Flush();
    }

    /// <summary>Writes the epoch's final line with the epoch's logs (training and validation).</summary>
    public void OnEpochEnd(ReadOnlySpan<string> names, ReadOnlySpan<float> values)
    {
        if (_verbose == 0) return;
        long now = _time.GetTimestamp();
        double elapsed = _time.GetElapsedTime(_epochStart, now).TotalSeconds;
        Clear();
        if (_verbose == 1)
        {
            if (_interactive) Append('\r');
            AppendCountAndBar(_steps);
            AppendStyled(' ', Bold);
            Append(elapsed, "F0");
            Append('s');
            AppendStyle(Plain);
            AppendStepTime(StepSeconds(_steps, now));
            AppendLogs(names, values);
            if (_interactive) Pad();
        }
        else
        {
            AppendCount(_steps);
            Append(" - ");
            Append(elapsed, "F0");
            Append("s -");
            AppendStepTime(StepSeconds(_steps, now));
            AppendLogs(names, values);
        }
        Append('\n');
        Flush();
    }

    // Keras's estimate: the first step (compilation, warm-up) is left out once there are later ones.
    private double StepSeconds(int step, long now)
    {
        if (step <= 0) return 0;
        if (step > 1 && _afterFirstStep != 0) return _time.GetElapsedTime(_afterFirstStep, now).TotalSeconds / (step - 1);
        return _time.GetElapsedTime(_epochStart, now).TotalSeconds / step;
    }

    private void AppendCount(int step)
    {
        Append(' ', Digits(_steps) - Digits(step));
        Append(step);
        Append('/');
        Append(_steps);
    }

    private static int Digits(int value)
    {
        int digits = 1;
        for (; value >= 10; value /= 10) digits++;
        return digits;
    }

    private void AppendCountAndBar(int step)
    {
        AppendStyle(Bold);
        AppendCount(step);
        AppendStyle(Plain);
        Append(' ');
        int done = (int)(BarWidth * (double)step / _steps);
        if (done > 0)
        {
            AppendStyle(Green);
            Append(BarChar, done);
            AppendStyle(Plain);
        }
        if (done < BarWidth)
        {
            AppendStyle(Grey);
            Append(BarChar, BarWidth - done);
            AppendStyle(Plain);
        }
    }

    private void AppendStepTime(double seconds)
    {
        Append(' ');
        if (seconds >= 1 || seconds == 0) { Append(seconds, "F0"); Append("s/step"); }
        else if (seconds >= 1e-3) { Append(seconds * 1e3, "F0"); Append("ms/step"); }
        else { Append(seconds * 1e6, "F0"); Append("us/step"); }
    }

    private void AppendLogs(ReadOnlySpan<string> names, ReadOnlySpan<float> values)
    {
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] == LearningRateKey) continue;
            Append(" - ");
            Append(names[i]);
            Append(": ");
            AppendValue(values[i]);
        }
    }

    /// <summary>Keras's format: <c>{v:.4f}</c> when |v| &gt; 1e-3, else <c>{v:.4e}</c>; Python's nan and inf.</summary>
    private void AppendValue(float value)
    {
        if (float.IsNaN(value)) Append("nan");
        else if (float.IsInfinity(value)) Append(value > 0 ? "inf" : "-inf");
        else if (Math.Abs(value) > 1e-3) Append((double)value, "F4");
        else Append((double)value, "0.0000e+00");
    }

    private void Pad()
    {
        int visible = _visible;
        if (_previousVisible > visible) Append(' ', _previousVisible - visible);
        _previousVisible = visible;
    }

    private void Clear()
    {
        _length = 0;
        _visible = 0;
    }

    private void Flush()
    {
        _output.Write(_line, 0, _length);
        _output.Flush();
    }

    private void AppendStyle(string style)
    {
        if (!_interactive) return;
        Append(style);
        _visible -= style.Length;
    }

    private void AppendStyled(char c, string style)
    {
        Append(c);
        AppendStyle(style);
    }

    private void Append(char c, int count = 1)
    {
        if (count <= 0) return;
        Reserve(count);
        _line.AsSpan(_length, count).Fill(c);
        _length += count;
        if (c != '\r' && c != '\n') _visible += count;
    }

    private void Append(string s)
    {
        Reserve(s.Length);
        s.CopyTo(_line.AsSpan(_length));
        _length += s.Length;
        _visible += s.Length;
    }

    private void Append(int value, int minDigits = 1)
    {
        Reserve(12);
        value.TryFormat(_line.AsSpan(_length), out int written, minDigits == 1 ? "D" : "D2", CultureInfo.InvariantCulture);
        _length += written;
        _visible += written;
    }

    private void Append(double value, string format)
    {
        int written;
        while (!value.TryFormat(_line.AsSpan(_length), out written, format, CultureInfo.InvariantCulture)) Reserve(_line.Length);
        _length += written;
        _visible += written;
    }

    private void Reserve(int extra)
    {
        if (_length + extra <= _line.Length) return;
        Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + extra));
    }
}
