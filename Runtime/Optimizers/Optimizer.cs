using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Gen;

/// <summary>
/// An optimizer with Keras 3's semantics, applied to one flat buffer of parameters (a model's parameter arena, layer by
/// layer, kernel then bias) and the matching buffer of gradients. Each <see cref="Apply"/> runs Keras's pipeline:
/// unscale (g/<see cref="LossScaleFactor"/>) → accumulate (<see cref="GradientAccumulationSteps"/>) → clip → decoupled
/// weight decay → the optimizer's update → EMA of the weights (<see cref="UseEma"/>) → count the step.
/// Clip, decay and update run in one pass over each tensor, after one reduction pass for the norms when they clip.
/// Slot variables are created on the first <see cref="Apply"/> with the buffer's length; later calls do not allocate.
/// </summary>
public abstract class Optimizer
{
    private const string LearningRateMessage = "The learning rate must be a finite number >= 0.";

    private float _learningRate;
    private long _steps;      // Keras's _iterations: every Apply call, accumulation-only calls included
    private int _length = -1; // the buffer length, fixed by the first Apply; -1 before it

    // The tensor layout from DefineTensors (null: the buffer is one tensor) and the exclusions from weight decay.
    private int[]? _tensorLengths;
    private string[]? _tensorNames;
    private Regex[] _weightDecayExclusions = [];

    // Built by the first Apply: tensor k spans [_offsets[k], _offsets[k + 1]).
    private int[] _offsets = [];
    private bool[] _decayed = [];
    private float[] _gradientScales = [];
    private float[] _accumulated = []; // Σ unscaled gradients since the last update (GradientAccumulationSteps)
    private float[] _average = [];     // the EMA of the parameters (UseEma)

    protected Optimizer(float learningRate)
    {
        if (!IsValidLearningRate(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, LearningRateMessage);
        _learningRate = learningRate;
    }

    /// <summary>
    /// The learning rate η of the next update. With a <see cref="Schedule"/> it reads the schedule's value at the
    /// current step and cannot be assigned. An assigned value applies from the next step.
    /// </summary>
    public float LearningRate
    {
        get => CurrentLearningRate;
        set
        {
            if (Schedule is not null)
                throw new InvalidOperationException("The learning rate comes from a schedule; set Schedule = null first.");
            if (!IsValidLearningRate(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, LearningRateMessage);
            _learningRate = value;
        }
    }

    /// <summary>When set, each step's learning rate is <c>Schedule.GetLearningRate(step)</c>, step counting every <see cref="Apply"/> call.</summary>
    public ILearningRateSchedule? Schedule { get; set; }

    /// <summary>The learning rate the next <see cref="Apply"/> will use (and the weight decay with it).</summary>
    public float CurrentLearningRate => Schedule?.GetLearningRate(_steps) ?? _learningRate;

    /// <summary>
    /// The number of updates applied so far (Keras's <c>iterations</c>, 0 before the first): with gradient accumulation,
    /// the calls so far divided by <see cref="GradientAccumulationSteps"/>.
    /// </summary>
    public long Iterations => GradientAccumulationSteps is int n ? _steps / n : _steps;

    /// <summary>Decoupled weight decay λ: w ← w − w·λ·η before each update and after clipping. Null: none.</summary>
    public float? WeightDecay
    {
        get;
        init
        {
            if (value is null && RequiresWeightDecay)
                throw new ArgumentNullException(nameof(WeightDecay), $"{GetType().Name} requires a weight decay.");
            if (value is float decay && !(decay >= 0f && float.IsFinite(decay)))
                throw new ArgumentOutOfRangeException(nameof(WeightDecay), decay, "Expected a finite weight decay >= 0.");
            field = value;
        }
    }

    /// <summary>Clips each tensor's gradient on its own: g ← g·c/max(‖g‖₂, c). A value ≤ 0 turns it off.</summary>
    public float? ClipNorm
    {
        get;
        init => field = CheckClip(value, nameof(ClipNorm), (nameof(ClipValue), ClipValue), (nameof(GlobalClipNorm), GlobalClipNorm));
    }

    /// <summary>Clips each gradient element to [−c, c]. A value ≤ 0 turns it off.</summary>
    public float? ClipValue
    {
        get;
        init => field = CheckClip(value, nameof(ClipValue), (nameof(ClipNorm), ClipNorm), (nameof(GlobalClipNorm), GlobalClipNorm));
    }

    /// <summary>
    /// Clips all gradients by one norm n = √Σ‖gᵢ‖²: gᵢ ← gᵢ·c·min(1/n, 1/c); an infinite or NaN n makes every gradient
    /// NaN. A value ≤ 0 turns it off.
    /// </summary>
    public float? GlobalClipNorm
    {
        get;
        init => field = CheckClip(value, nameof(GlobalClipNorm), (nameof(ClipNorm), ClipNorm), (nameof(ClipValue), ClipValue));
    }

    /// <summary>
    /// N ≥ 2: each call adds its gradient to an accumulator; every N-th call updates with the mean (g + acc)/N, clipped
    /// and decayed as a single gradient would be, and clears the accumulator.
    /// </summary>
    public int? GradientAccumulationSteps
    {
        get;
        init
        {
            if (value < 2)
                throw new ArgumentOutOfRangeException(nameof(GradientAccumulationSteps), value, "Expected gradient accumulation steps >= 2.");
            field = value;
        }
    }

    /// <summary>Keeps an exponential moving average of the parameters, updated after every call.</summary>
    public bool UseEma { get; init; }

    /// <summary>The EMA's momentum m in [0, 1]: avg ← m·avg + (1 − m)·w (avg ← w while <see cref="Iterations"/> is 0).</summary>
    public float EmaMomentum
    {
        get;
        init
        {
            if (!(value >= 0f && value <= 1f))
                throw new ArgumentOutOfRangeException(nameof(EmaMomentum), value, "Expected an EMA momentum in [0, 1].");
            field = value;
        }
    } = 0.99f;

    /// <summary>f ≥ 1: the parameters are overwritten with their EMA after a call when (iterations + 1) % f == 0.</summary>
    public int? EmaOverwriteFrequency
    {
        get;
        init
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(EmaOverwriteFrequency), value, "Expected an EMA overwrite frequency >= 1.");
            field = value;
        }
    }

    /// <summary>Static loss scaling s: the loss is multiplied by s (<see cref="ScaleLoss"/>) and every gradient divided by s first.</summary>
    public float? LossScaleFactor
    {
        get;
        init
        {
            if (value is float scale && !(scale > 0f && float.IsFinite(scale)))
                throw new ArgumentOutOfRangeException(nameof(LossScaleFactor), scale, "Expected a finite loss scale factor > 0.");
            field = value;
        }
    }

    /// <summary>AdamW refuses to run without weight decay, as Keras's does.</summary>
    private protected virtual bool RequiresWeightDecay => false;

    /// <summary>The loss to differentiate: <paramref name="loss"/>·<see cref="LossScaleFactor"/>, or the loss itself without one.</summary>
    public float ScaleLoss(float loss) => LossScaleFactor is float scale ? loss * scale : loss;

    /// <summary>
    /// Describes the buffer as consecutive tensors (e.g. "dense/kernel", "dense/bias"), for the per-tensor clip norm and
    /// the weight-decay exclusions. Call it before the first <see cref="Apply"/>, whose buffer must hold Σ lengths
    /// parameters. Without it the buffer is one tensor.
    /// </summary>
    public void DefineTensors(ReadOnlySpan<int> lengths, ReadOnlySpan<string> names)
    {
        ThrowIfBuilt(nameof(DefineTensors));
        if (names.Length != lengths.Length)
            throw new ArgumentException($"Expected one name per tensor ({lengths.Length}); got {names.Length}.", nameof(names));
        foreach (int length in lengths)
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(lengths), length, "Expected tensor lengths >= 0.");
        foreach (string name in names)
            if (name is null) throw new ArgumentNullException(nameof(names), "Expected a name for every tensor.");
        _tensorLengths = lengths.ToArray();
        _tensorNames = names.ToArray();
    }

    /// <summary>
    /// Exempts from weight decay the tensors whose name (from <see cref="DefineTensors"/>) contains a match of any of the
    /// regular expressions, as Keras's <c>exclude_from_weight_decay(var_names=...)</c>; a later call replaces the list.
    /// Call it before the first <see cref="Apply"/>.
    /// </summary>
    public void ExcludeFromWeightDecay(params string[] namePatterns)
    {
        ArgumentNullException.ThrowIfNull(namePatterns);
        ThrowIfBuilt(nameof(ExcludeFromWeightDecay));
        var exclusions = new Regex[namePatterns.Length];
        for (int i = 0; i < namePatterns.Length; i++)
        {
            if (namePatterns[i] is null) throw new ArgumentNullException(nameof(namePatterns), "Expected no null pattern.");
            exclusions[i] = new Regex(namePatterns[i], RegexOptions.CultureInvariant);
        }
        _weightDecayExclusions = exclusions;
    }

    /// <summary>
    /// One optimizer step: <paramref name="parameters"/> ← update(<paramref name="parameters"/>, <paramref name="gradients"/>).
    /// The learning rate is taken before the step counter is incremented, so the first call uses step 0.
    /// </summary>
    public void Apply(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (gradients.Length != parameters.Length)
            throw new ArgumentException($"Expected one gradient per parameter ({parameters.Length}); got {gradients.Length}.", nameof(gradients));
        EnsureBuilt(parameters);

        float gradientScale = LossScaleFactor is float lossScale ? 1f / lossScale : 1f;
        if (GradientAccumulationSteps is int n)
        {
            // acc ← acc + g/s on every call; every N-th call updates with (g/s + acc)/N, then clears acc.
            TensorPrimitives.MultiplyAdd(gradients, gradientScale, _accumulated, _accumulated);
            if ((_steps + 1) % n == 0)
            {
                Update(parameters, _accumulated, 1f / n);
                Array.Clear(_accumulated);
            }
        }
        else
        {
            Update(parameters, gradients, gradientScale);
        }
        UpdateAverage(parameters);
        _steps++;
    }

    /// <summary>
    /// Overwrites <paramref name="parameters"/> with their EMA, as Keras does at the end of <c>fit</c>. Does nothing
    /// without <see cref="UseEma"/> or before the first <see cref="Apply"/>.
    /// </summary>
    public void FinalizeVariableValues(Span<float> parameters)
    {
        if (!UseEma || _length < 0) return;
        if (parameters.Length != _length)
            throw new ArgumentException($"This optimizer was built for {_length} parameters; got {parameters.Length}.", nameof(parameters));
        _average.CopyTo(parameters);
    }

    /// <summary>Creates the slot variables for a parameter buffer of the given length.</summary>
    protected abstract void Build(int length);

    /// <summary>
    /// The update equations for one tensor, in one pass: for each element, g = <c>step.Gradient(gradients[i])</c> and
    /// w = <c>step.Decay(parameters[i])</c>, then the update. <paramref name="offset"/> is the tensor's start in the whole
    /// buffer, for slot variables built over the whole buffer.
    /// </summary>
    protected abstract void UpdateStep(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, TensorStep step);

    /// <summary>
    /// One tensor's share of a step, handed to <see cref="UpdateStep"/>. The gradient scale folds in 1/loss scale, 1/N of
    /// accumulation and the norm clip; the weight decay is 0 for a tensor excluded from it.
    /// </summary>
    protected internal readonly struct TensorStep(float learningRate, long iterations, float gradientScale, float clipValue, float weightDecay)
    {
        /// <summary>η for this step.</summary>
        public float LearningRate { get; } = learningRate;

        /// <summary>Keras's <c>iterations</c>: the updates applied before this one (Adam's t is <c>Iterations + 1</c>).</summary>
        public long Iterations { get; } = iterations;

        /// <summary>The factor every raw gradient is multiplied by (1/loss scale, 1/N of accumulation, the norm clip).</summary>
        public float GradientScale => gradientScale;

        /// <summary>The element clip (+∞ when off).</summary>
        public float ClipValue => clipValue;

        /// <summary>λ for this tensor (0 when it is excluded from weight decay or decay is off).</summary>
        public float WeightDecay => weightDecay;

        /// <summary><see cref="Gradient"/> for a vector of raw gradients, element for element the same operations.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public System.Numerics.Vector<float> Gradient(System.Numerics.Vector<float> raw)
        {
            var g = raw * new System.Numerics.Vector<float>(gradientScale);
            var high = new System.Numerics.Vector<float>(clipValue);
            var low = -high;
            return System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThan(g, high), high,
                System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.LessThan(g, low), low, g));
        }

        /// <summary><see cref="Decay(float)"/> for a vector of weights: w − (w·λ)·η.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public System.Numerics.Vector<float> Decay(System.Numerics.Vector<float> w) =>
            w - w * new System.Numerics.Vector<float>(weightDecay) * new System.Numerics.Vector<float>(LearningRate);

        /// <summary>The gradient Keras's update_step sees: clip(raw·scale, −clip value, clip value).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Gradient(float raw)
        {
            float g = raw * gradientScale;
            return g > clipValue ? clipValue : g < -clipValue ? -clipValue : g;
        }

        /// <summary>The decoupled weight decay before the update: w − w·λ·η.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Decay(float w) => w - w * weightDecay * LearningRate;
    }

    /// <summary>Clip, decay and update each tensor with gradient <paramref name="gradients"/>·<paramref name="gradientScale"/>.</summary>
    private void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale)
    {
        var scales = _gradientScales.AsSpan();
        scales.Fill(gradientScale);
        if (ClipNorm is float clipNorm && clipNorm > 0f)
        {
            for (int k = 0; k < scales.Length; k++)
            {
                float norm = MathF.Abs(gradientScale) * MathF.Sqrt(TensorPrimitives.SumOfSquares(Tensor(gradients, k)));
                scales[k] *= clipNorm / MathF.Max(norm, clipNorm); // a NaN norm gives NaN, an infinite one 0 (inf·0 = NaN)
            }
        }
        else if (GlobalClipNorm is float globalClipNorm && globalClipNorm > 0f)
        {
            float norm = MathF.Abs(gradientScale) * MathF.Sqrt(TensorPrimitives.SumOfSquares(gradients));
            // (norm − norm) is 0 for a finite norm and NaN otherwise, as in Keras's clip_by_global_norm.
            scales.Fill(gradientScale * (globalClipNorm * MathF.Min(1f / norm, 1f / globalClipNorm) + (norm - norm)));
        }
        float clipValue = ClipValue is float c && c > 0f ? c : float.PositiveInfinity;

        float learningRate = CurrentLearningRate, weightDecay = WeightDecay ?? 0f;
        long iterations = Iterations;
        for (int k = 0; k < scales.Length; k++)
        {
            var step = new TensorStep(learningRate, iterations, scales[k], clipValue, _decayed[k] ? weightDecay : 0f);
            int offset = _offsets[k];
            UpdateStep(Tensor(parameters, k), Tensor(gradients, k), offset, step);
        }
    }

    /// <summary>
    /// Keras updates the EMA after every call, accumulation-only calls included: avg ← m·avg + (1 − m)·w with m = 0 while
    /// iterations is 0, then overwrites the parameters with it when (iterations + 1) % f == 0.
    /// </summary>
    private void UpdateAverage(Span<float> parameters)
    {
        if (!UseEma) return;
        long iterations = Iterations;
        float momentum = iterations == 0 ? 0f : EmaMomentum;
        TensorPrimitives.Multiply(_average, momentum, _average);
        TensorPrimitives.MultiplyAdd(parameters, 1f - momentum, _average, _average);
        if (EmaOverwriteFrequency is int frequency && (iterations + 1) % frequency == 0) _average.CopyTo(parameters);
    }

    private Span<float> Tensor(Span<float> buffer, int k) => buffer[_offsets[k].._offsets[k + 1]];

    private ReadOnlySpan<float> Tensor(ReadOnlySpan<float> buffer, int k) => buffer[_offsets[k].._offsets[k + 1]];

    // A loop rather than a lambda: a closure here made the C# compiler allocate its display class on every Apply.
    private static bool MatchesAny(Regex[] patterns, string name)
    {
        foreach (var pattern in patterns) if (pattern.IsMatch(name)) return true;
        return false;
    }

    private void EnsureBuilt(ReadOnlySpan<float> parameters)
    {
        if (_length >= 0)
        {
            if (_length != parameters.Length)
                throw new ArgumentException($"This optimizer was built for {_length} parameters; got {parameters.Length}.", nameof(parameters));
            return;
        }
        int[] lengths = _tensorLengths ?? [parameters.Length];
        long total = 0;
        foreach (int length in lengths) total += length;
        if (total != parameters.Length)
            throw new ArgumentException($"DefineTensors described {total} parameters; the buffer holds {parameters.Length}.", nameof(parameters));
        if (_weightDecayExclusions.Length > 0 && _tensorNames is null)
            throw new InvalidOperationException("ExcludeFromWeightDecay matches tensor names; call DefineTensors first.");

        _offsets = new int[lengths.Length + 1];
        _decayed = new bool[lengths.Length];
        for (int k = 0; k < lengths.Length; k++)
        {
            _offsets[k + 1] = _offsets[k] + lengths[k];
            _decayed[k] = _tensorNames is null || !MatchesAny(_weightDecayExclusions, _tensorNames[k]);
        }
        _gradientScales = new float[lengths.Length];
        if (GradientAccumulationSteps is not null) _accumulated = new float[parameters.Length];
        if (UseEma) _average = new float[parameters.Length];
        Build(parameters.Length);
        _length = parameters.Length;
    }

    private void ThrowIfBuilt(string method)
    {
        if (_length >= 0) throw new InvalidOperationException($"{method} must be called before the first Apply.");
    }

    private static bool IsValidLearningRate(float value) => value >= 0 && !float.IsInfinity(value);

    /// <summary>Keras allows at most one of clipnorm, clipvalue and global_clipnorm, counting any value that is set.</summary>
    private static float? CheckClip(float? value, string name, (string Name, float? Value) other1, (string Name, float? Value) other2)
    {
        if (value is float v && !float.IsFinite(v))
            throw new ArgumentOutOfRangeException(name, v, "Expected a finite clip threshold (a value <= 0 turns clipping off).");
        if (value is not null && (other1.Value ?? other2.Value) is float set)
        {
            string setName = other1.Value is not null ? other1.Name : other2.Name;
            throw new ArgumentException($"Only one of ClipNorm, ClipValue and GlobalClipNorm can be set; got {setName} = {set} and {name} = {value}.", name);
        }
        return value;
    }
}
