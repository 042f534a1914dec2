namespace Gen.Runtime.Tests.Training;

/// <summary>
/// A hand-written model for the loop tests: y = xW + b with W (inputs × outputs), trained with
/// <see cref="TestMeanSquaredError"/> and reporting <see cref="TestMeanAbsoluteError"/>. Feature 0 of each
/// sample can carry the sample's id, which the model then records in the order it sees samples.
/// </summary>
internal sealed class LinearModel : IModel
{
    private readonly float[] _parameters, _gradients;
    private float[] _output = [], _outputGradient = [];
    private readonly Func<Metric[]> _metrics;

    public LinearModel(int inputs, int outputs, Optimizer? optimizer = null, bool sparseTargets = false,
        Loss? loss = null, Func<Metric[]>? metrics = null)
    {
        InputSize = inputs;
        OutputSize = outputs;
        SparseTargets = sparseTargets;
        Loss = loss ?? new TestMeanSquaredError();
        Optimizer = optimizer ?? new Sgd(0.01f);
        _metrics = metrics ?? (() => [new TestMeanAbsoluteError()]);
        _parameters = new float[inputs * outputs + outputs];
        _gradients = new float[_parameters.Length];
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public int TargetSize => Loss is MultiOutputLoss multiOutput ? multiOutput.TargetSize : SparseTargets ? 1 : OutputSize;
    public bool SparseTargets { get; }
    public Loss Loss { get; }
    public Optimizer Optimizer { get; }
    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;
    public ReadOnlySpan<float> Output => _output.AsSpan(0, _batch * OutputSize);

    /// <summary>Non-trainable values that only callbacks touch (a stand-in for moving statistics); empty unless set.</summary>
    public float[] StateValues { get; set; } = [];
    public Span<float> State => StateValues;
    private int _batch;

    public int ParameterCount => _parameters.Length;
    public int StateCount => StateValues.Length;
    public void CopyParametersTo(Span<float> destination) => ModelChecks.CopyOut(_parameters, destination, nameof(destination), "the parameters");
    public void SetParameters(ReadOnlySpan<float> values) => ModelChecks.CopyIn(values, _parameters, nameof(values), "the parameters");
    public void CopyStateTo(Span<float> destination) => ModelChecks.CopyOut(StateValues, destination, nameof(destination), "the state");
    public void SetState(ReadOnlySpan<float> values) => ModelChecks.CopyIn(values, StateValues, nameof(values), "the state");
    public void CopyGradientsTo(Span<float> destination) => ModelChecks.CopyOut(_gradients, destination, nameof(destination), "the gradients");
    public void SetGradients(ReadOnlySpan<float> values) => ModelChecks.CopyIn(values, _gradients, nameof(values), "the gradients");
    public void ApplyGradients() => Optimizer.Apply(_parameters, _gradients);
    public void FinalizeWeights() => Optimizer.FinalizeVariableValues(_parameters);

    /// <summary>When set, receives feature 0 (the sample id) of every sample passed to ComputeGradients.</summary>
    public List<int>? TrainingIds { get; set; }

    /// <summary>When set, receives feature 0 (the sample id) of every sample passed to Forward.</summary>
    public List<int>? InferenceIds { get; set; }

    /// <summary>When set, receives the batch size of every call to Forward or ComputeGradients.</summary>
    public List<int>? BatchSizes { get; set; }

    /// <summary>When set, receives GC.GetAllocatedBytesForCurrentThread() at the start of each ComputeGradients.</summary>
    public long[]? AllocationTrace { get; set; }
    public int AllocationTraceCount { get; private set; }

    public Metric[] CreateMetrics() => _metrics();

    private double _lossSum;
    private long _lossCount;

    private int[]? _inputWidths, _targetWidths, _outputWidths;
    public ReadOnlySpan<int> InputWidths => _inputWidths ??= [InputSize];
    public ReadOnlySpan<int> TargetWidths => _targetWidths ??= [TargetSize];
    public ReadOnlySpan<int> OutputWidths => _outputWidths ??= [OutputSize];

    public void TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch, ReadOnlySpan<Metric> metrics)
    {
        float loss = ComputeGradients(x, y, sampleWeight, batch);
        foreach (var m in metrics) m.Update(Output, y, sampleWeight, batch);
        Optimizer.Apply(_parameters, _gradients);
        _lossSum += (double)loss * batch;
        _lossCount += batch;
    }

    public void TestStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch, ReadOnlySpan<Metric> metrics)
    {
        Forward(x, batch);
        float loss = Loss.Compute(Output, y, sampleWeight, batch, Span<float>.Empty);
        foreach (var m in metrics) m.Update(Output, y, sampleWeight, batch);
        _lossSum += (double)loss * batch;
        _lossCount += batch;
    }

    public float RunningLoss => _lossCount == 0 ? 0f : (float)(_lossSum / _lossCount);

    public void ResetRunningLoss() => (_lossSum, _lossCount) = (0, 0);

    public void ReadOutput(Span<float> predictions) => Output.CopyTo(predictions);

    public float ComputeGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch)
    {
        if (AllocationTrace is { } trace) trace[AllocationTraceCount++] = GC.GetAllocatedBytesForCurrentThread();
        Record(TrainingIds, x, batch);
        Run(x, batch);
        var gradOut = _outputGradient.AsSpan(0, batch * OutputSize);
        float loss = Loss.Compute(Output, y, sampleWeight, batch, gradOut);
        // dW = xᵀ·dOut, db = Σ_rows dOut
        Array.Clear(_gradients);
        int kernel = InputSize * OutputSize;
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < OutputSize; j++)
            {
                float g = gradOut[r * OutputSize + j];
                for (int i = 0; i < InputSize; i++) _gradients[i * OutputSize + j] += x[r * InputSize + i] * g;
                _gradients[kernel + j] += g;
            }
        return loss;
    }

    public void Forward(ReadOnlySpan<float> x, int batch)
    {
        Record(InferenceIds, x, batch);
        Run(x, batch);
    }

    private void Run(ReadOnlySpan<float> x, int batch)
    {
        if (x.Length != batch * InputSize) throw new InvalidOperationException($"x has {x.Length} floats for a batch of {batch}.");
        BatchSizes?.Add(batch);
        if (_output.Length < batch * OutputSize)
        {
            _output = new float[batch * OutputSize];
            _outputGradient = new float[batch * OutputSize];
        }
        _batch = batch;
        int kernel = InputSize * OutputSize;
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < OutputSize; j++)
            {
                float sum = _parameters[kernel + j];
                for (int i = 0; i < InputSize; i++) sum += x[r * InputSize + i] * _parameters[i * OutputSize + j];
                _output[r * OutputSize + j] = sum;
            }
    }

    private void Record(List<int>? ids, ReadOnlySpan<float> x, int batch)
    {
        if (ids is null) return;
        for (int r = 0; r < batch; r++) ids.Add((int)x[r * InputSize]);
    }
}

/// <summary>mean over the last axis of (ŷ − y)²; gradient 2(ŷ − y)/width.</summary>
internal sealed class TestMeanSquaredError : Loss
{
    public override string Name => "test_mse";

    protected override float SampleLoss(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        float sum = 0;
        for (int j = 0; j < prediction.Length; j++)
        {
            float e = prediction[j] - target[j];
            sum += e * e;
            if (!gradient.IsEmpty) gradient[j] = 2 * e / prediction.Length;
        }
        return sum / prediction.Length;
    }
}

/// <summary>Weighted mean over samples of the mean absolute error: Σ w·mae / Σ w, as Keras's metrics.</summary>
internal sealed class TestMeanAbsoluteError : Metric
{
    private double _total, _count;

    public override string Name => "mae";

    public override void Update(ReadOnlySpan<float> yPred, ReadOnlySpan<float> yTrue, ReadOnlySpan<float> sampleWeight, int batch)
    {
        int width = yPred.Length / batch;
        for (int r = 0; r < batch; r++)
        {
            double sum = 0;
            for (int j = 0; j < width; j++) sum += Math.Abs(yPred[r * width + j] - yTrue[r * width + j]);
            double w = sampleWeight.IsEmpty ? 1 : sampleWeight[r];
            _total += w * sum / width;
            _count += w;
        }
    }

    public override float Result() => _count == 0 ? 0 : (float)(_total / _count);

    public override void Reset() => _total = _count = 0;
}

/// <summary>A TimeProvider whose clock only moves when told to; <see cref="Step"/> advances it on every read.</summary>
internal sealed class ManualTime : TimeProvider
{
    public long Now { get; set; }

    /// <summary>Ticks added after each read of the clock.</summary>
    public long Step { get; set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        long now = Now;
        Now += Step;
        return now;
    }

    public void Set(double seconds) => Now = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
}
