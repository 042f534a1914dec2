namespace Gen.Runtime.Tests;

/// <summary>
/// Keras's optimizer pipeline in float64, written from the spec (keras-semantics.md §1–6) and sharing no code with the
/// runtime: unscale → accumulate → clip → weight decay → update rule → EMA → count. Options are plain fields.
/// </summary>
internal sealed class ReferenceOptimizer(ReferenceOptimizer.IRule rule, int[] lengths)
{
    /// <summary>An update rule over the whole buffer: g is the final gradient, t = iterations + 1.</summary>
    public interface IRule
    {
        void Update(double[] w, double[] g, double eta, long t);
    }

    public double? LossScale, ClipNorm, ClipValue, GlobalClipNorm, WeightDecay;
    public int? AccumulationSteps, EmaOverwriteFrequency;
    public bool UseEma;
    public double EmaMomentum = 0.99;
    public bool[]? Excluded; // per tensor: exempt from weight decay

    private long _calls;
    private double[]? _accumulated, _average;

    public long Iterations => AccumulationSteps is int n ? _calls / n : _calls;

    /// <summary>The raw call count: the step a schedule sees.</summary>
    public long Calls => _calls;

    public double[] Average => _average!;

    public void Apply(double[] w, double[] gradients, double eta)
    {
        var g = new double[w.Length];
        for (int i = 0; i < g.Length; i++) g[i] = LossScale is double s ? gradients[i] / s : gradients[i];

        bool update = true;
        if (AccumulationSteps is int n)
        {
            _accumulated ??= new double[w.Length];
            if ((_calls + 1) % n == 0)
            {
                for (int i = 0; i < g.Length; i++) g[i] = (g[i] + _accumulated[i]) / n;
                Array.Clear(_accumulated);
            }
            else
            {
                for (int i = 0; i < g.Length; i++) _accumulated[i] += g[i];
                update = false;
            }
        }

        if (update)
        {
            Clip(g);
            if (WeightDecay is double lambda)
            {
                for (int k = 0, start = 0; k < lengths.Length; start += lengths[k], k++)
                {
                    if (Excluded?[k] == true) continue;
                    for (int i = start; i < start + lengths[k]; i++) w[i] -= w[i] * lambda * eta;
                }
            }
            rule.Update(w, g, eta, Iterations + 1);
        }

        if (UseEma)
        {
            _average ??= new double[w.Length];
            double m = Iterations == 0 ? 0 : EmaMomentum;
            for (int i = 0; i < w.Length; i++) _average[i] = m * _average[i] + (1 - m) * w[i];
            if (EmaOverwriteFrequency is int f && (Iterations + 1) % f == 0) Array.Copy(_average, w, w.Length);
        }
        _calls++;
    }

    private void Clip(double[] g)
    {
        if (ClipNorm is double c && c > 0)
        {
            for (int k = 0, start = 0; k < lengths.Length; start += lengths[k], k++)
            {
                double sum = 0;
                for (int i = start; i < start + lengths[k]; i++) sum += g[i] * g[i];
                double norm = Math.Sqrt(sum);
                for (int i = start; i < start + lengths[k]; i++) g[i] = g[i] * c / Math.Max(norm, c);
            }
        }
        else if (GlobalClipNorm is double gc && gc > 0)
        {
            double sum = 0;
            foreach (double x in g) sum += x * x;
            double norm = Math.Sqrt(sum);
            double scale = double.IsFinite(norm) ? gc * Math.Min(1 / norm, 1 / gc) : double.NaN;
            for (int i = 0; i < g.Length; i++) g[i] *= scale;
        }
        else if (ClipValue is double v && v > 0)
        {
            for (int i = 0; i < g.Length; i++) g[i] = Math.Clamp(g[i], -v, v);
        }
    }

    /// <summary>SGD: m ← μm − ηg; w ← w + m, or w ← w + μm − ηg (Nesterov); w ← w − ηg without momentum.</summary>
    public sealed class Sgd(double momentum, bool nesterov) : IRule
    {
        private double[]? _m;

        public void Update(double[] w, double[] g, double eta, long t)
        {
            _m ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                if (momentum == 0)
                {
                    w[i] -= eta * g[i];
                    continue;
                }
                _m[i] = momentum * _m[i] - eta * g[i];
                w[i] += nesterov ? momentum * _m[i] - eta * g[i] : _m[i];
            }
        }
    }

    /// <summary>Adam: α = η√(1 − β₂ᵗ)/(1 − β₁ᵗ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; amsgrad v̂ = max; w ← w − αm/(√v + ε).</summary>
    public sealed class Adam(double beta1, double beta2, double epsilon, bool amsgrad) : IRule
    {
        private double[]? _m, _v, _vHat;

        public void Update(double[] w, double[] g, double eta, long t)
        {
            _m ??= new double[w.Length];
            _v ??= new double[w.Length];
            _vHat ??= new double[w.Length];
            double alpha = eta * Math.Sqrt(1 - Math.Pow(beta2, t)) / (1 - Math.Pow(beta1, t));
            for (int i = 0; i < w.Length; i++)
            {
                _m[i] = beta1 * _m[i] + (1 - beta1) * g[i];
                _v[i] = beta2 * _v[i] + (1 - beta2) * g[i] * g[i];
                _vHat[i] = Math.Max(_vHat[i], _v[i]);
                w[i] -= alpha * _m[i] / (Math.Sqrt(amsgrad ? _vHat[i] : _v[i]) + epsilon);
            }
        }
    }

    /// <summary>RMSprop: v ← ρv + (1−ρ)g²; centered ḡ ← ρḡ + (1−ρ)g; inc = ηg/√(v [− ḡ²] + ε); mom ← μ·mom + inc, w ← w − mom; or w ← w − inc.</summary>
    public sealed class RmsProp(double rho, double momentum, double epsilon, bool centered) : IRule
    {
        private double[]? _v, _mean, _mom;

        public void Update(double[] w, double[] g, double eta, long t)
        {
            _v ??= new double[w.Length];
            _mean ??= new double[w.Length];
            _mom ??= new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                _v[i] = rho * _v[i] + (1 - rho) * g[i] * g[i];
                _mean[i] = rho * _mean[i] + (1 - rho) * g[i];
                double denominator = centered ? _v[i] - _mean[i] * _mean[i] + epsilon : _v[i] + epsilon;
                double increment = eta * g[i] / Math.Sqrt(denominator);
                if (momentum > 0)
                {
                    _mom[i] = momentum * _mom[i] + increment;
                    w[i] -= _mom[i];
                }
                else
                {
                    w[i] -= increment;
                }
            }
        }
    }

    /// <summary>Adagrad: acc (from the initial value) ← acc + g²; w ← w − ηg/√(acc + ε).</summary>
    public sealed class Adagrad(double initialAccumulator, double epsilon) : IRule
    {
        private double[]? _acc;

        public void Update(double[] w, double[] g, double eta, long t)
        {
            if (_acc is null)
            {
                _acc = new double[w.Length];
                Array.Fill(_acc, initialAccumulator);
            }
            for (int i = 0; i < w.Length; i++)
            {
                _acc[i] += g[i] * g[i];
                w[i] -= eta * g[i] / Math.Sqrt(_acc[i] + epsilon);
            }
        }
    }
}
