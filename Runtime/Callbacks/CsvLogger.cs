using System.Globalization;
using System.Text;

namespace Gen;

/// <summary>
/// Writes one CSV row per epoch (Keras's <c>CSVLogger</c>), with the file Keras writes: a header of "epoch" and
/// the log keys sorted by ordinal order (Python's <c>sorted</c>), fixed at the first epoch; then one row per
/// epoch with the 0-based epoch and the values as Python prints the float64 of each float32 ("0.1234000027179718",
/// "1e-05", "nan"); "NA" for a key an epoch lacks; lines end with "\r\n" (the csv module's excel dialect), and a
/// field holding the separator, a quote or a line break is quoted.
/// Without <see cref="Append"/> the file is emptied when training begins; with it, rows are added and the header
/// is written only if the file is missing or its first line is empty. Each row is flushed to the file at its
/// epoch's end.
/// </summary>
public sealed class CsvLogger : Callback
{
    private string[]? _keys;
    private bool _writeHeader;

    /// <param name="path">The CSV file; its directory must exist.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="append">Whether to add to an existing file instead of replacing it.</param>
    public CsvLogger(string path, char separator = ',', bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (separator is '"' or '\r' or '\n')
            throw new ArgumentException($"Expected a separator other than a quote or a line break; got {(int)separator}.", nameof(separator));
        Path = path;
        Separator = separator;
        Append = append;
    }

    public string Path { get; }
    public char Separator { get; }
    public bool Append { get; }

    public override void OnTrainBegin(TrainingContext context)
    {
        _keys = null;
        _writeHeader = true;
        if (Append)
        {
            if (File.Exists(Path))
            {
                using var reader = new StreamReader(Path);
                _writeHeader = string.IsNullOrEmpty(reader.ReadLine());
            }
        }
        else
        {
            File.WriteAllBytes(Path, []);
        }
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (_keys is null)
        {
            _keys = [.. logs.Keys];
            Array.Sort(_keys, StringComparer.Ordinal);
        }
        var text = new StringBuilder();
        if (_writeHeader)
        {
            _writeHeader = false;
            text.Append("epoch");
            foreach (string key in _keys) text.Append(Separator).Append(Quote(key));
            text.Append("\r\n");
        }
        text.Append(epoch.ToString(CultureInfo.InvariantCulture));
        foreach (string key in _keys)
            text.Append(Separator).Append(logs.TryGetValue(key, out float value) ? FormatPython(value) : "NA");
        text.Append("\r\n");
        File.AppendAllText(Path, text.ToString());
    }

    private string Quote(string field)
    {
        if (field.AsSpan().IndexOfAny(Separator, '"') < 0 && field.AsSpan().IndexOfAny('\r', '\n') < 0) return field;
        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Python's <c>repr</c> of the float64 of <paramref name="value"/>: the shortest digits that round-trip, in
    /// positional notation when the decimal exponent is in [−4, 16), else as <c>d.ddde±XX</c>.
    /// </summary>
    internal static string FormatPython(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";

        // "E16" is not shortest; "R" is, in either notation: take its digits and exponent.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        int exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? r : r[..e];
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        int integerDigits = point < 0 ? mantissa.Length : point;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        // value = 0.digits × 10^decimalPoint; the first digit's exponent is decimalPoint − 1.
        int decimalPoint = integerDigits - leadingZeros + exponent;
        int x = decimalPoint - 1;

        var s = new StringBuilder();
        if (value < 0) s.Append('-');
        if (x is >= -4 and < 16)
        {
            if (decimalPoint <= 0)
            {
                s.Append("0.").Append('0', -decimalPoint).Append(digits);
            }
            else if (digits.Length <= decimalPoint)
            {
                s.Append(digits).Append('0', decimalPoint - digits.Length).Append(".0");
            }
            else
            {
                s.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
            }
        }
        else
        {
            s.Append(digits[0]);
            if (digits.Length > 1) s.Append('.').Append(digits, 1, digits.Length - 1);
            s.Append('e').Append(x < 0 ? '-' : '+').Append(Math.Abs(x).ToString("00", CultureInfo.InvariantCulture));
        }
        return s.ToString();
    }
}
