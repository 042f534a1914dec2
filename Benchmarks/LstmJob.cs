using Gen;
using Gen.Cpu;

namespace Gen.Benchmarks;

/// <summary>
/// The lstm job (LSTM 64, all steps → LSTM 32, last step → Dense 1 logit; binary cross-entropy from logits),
/// wired by hand from the runtime kernels the generator will call for LSTM layers (issue 4). It measures those
/// kernels before the generator emits them; the generated model will run the same calls.
/// </summary>
internal sealed class LstmJob : IModel
{
    private const int T = 50, F = 10, U1 = 64, U2 = 32;
    private const int K1 = 0, R1 = K1 + F * 4 * U1, B1 = R1 + U1 * 4 * U1;
    private const int K2 = B1 + 4 * U1, R2 = K2 + U1 * 4 * U2, B2 = R2 + U2 * 4 * U2;
    private const int W3 = B2 + 4 * U2, B3 = W3 + U2, Count = B3 + 1;

    private readonly float[] _p = new float[Count], _g = new float[Count];
    private float[] _out1 = [], _cache1 = [], _scratch1 = [], _d1 = [];
    private float[] _out2 = [], _cache2 = [], _scratch2 = [], _d2 = [];
    private float[] _logits = [], _dLogits = [];
    private int _capacity, _batch;

    public LstmJob(int seed)
    {
        Optimizer = new Adam();
        var p = _p.AsSpan();
        Initializers.GlorotUniform(p.Slice(K1, F * 4 * U1), F, 4 * U1, (ulong)seed, 0);
        Initializers.Orthogonal(p.Slice(R1, U1 * 4 * U1), U1, 4 * U1, (ulong)seed, 1);
        Initializers.LstmBias(p.Slice(B1, 4 * U1), U1);
        Initializers.GlorotUniform(p.Slice(K2, U1 * 4 * U2), U1, 4 * U2, (ulong)seed, 2);
        Initializers.Orthogonal(p.Slice(R2, U2 * 4 * U2), U2, 4 * U2, (ulong)seed, 3);
        Initializers.LstmBias(p.Slice(B2, 4 * U2), U2);
        Initializers.GlorotUniform(p.Slice(W3, U2), U2, 1, (ulong)seed, 4);
    }

    public int InputSize => T * F;
    public int OutputSize => 1;
    public int TargetSize => 1;
    public bool SparseTargets => false;
    public Loss Loss { get; } = new BinaryCrossentropy(fromLogits: true);
    public Optimizer Optimizer { get; }
    public Span<float> Parameters => _p;
    public Span<float> Gradients => _g;
    public ReadOnlySpan<float> Output => _logits.AsSpan(0, _batch);
    public Metric[] CreateMetrics() => [];

    public void Forward(ReadOnlySpan<float> x, int batch)
    {
        Ensure(batch);
        ReadOnlySpan<float> p = _p;
        Lstm.Forward(x, p.Slice(K1, F * 4 * U1), p.Slice(R1, U1 * 4 * U1), p.Slice(B1, 4 * U1), _out1.AsSpan(0, batch * T * U1),
            _cache1.AsSpan(0, Lstm.CacheSize(batch, T, U1)), batch, T, F, U1, returnSequences: true, goBackwards: false);
        Lstm.Forward(_out1.AsSpan(0, batch * T * U1), p.Slice(K2, U1 * 4 * U2), p.Slice(R2, U2 * 4 * U2), p.Slice(B2, 4 * U2), _out2.AsSpan(0, batch * U2),
            _cache2.AsSpan(0, Lstm.CacheSize(batch, T, U2)), batch, T, U1, U2, returnSequences: false, goBackwards: false);
        Dense.Forward(_out2.AsSpan(0, batch * U2), p.Slice(W3, U2), p.Slice(B3, 1), _logits.AsSpan(0, batch), batch, U2, 1);
        _batch = batch;
    }

    public float ComputeGradients(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> sampleWeight, int batch)
    {
        Forward(x, batch);
        ReadOnlySpan<float> p = _p;
        Span<float> g = _g;
        var dLogits = _dLogits.AsSpan(0, batch);
        float loss = Loss.Compute(Output, y, sampleWeight, batch, dLogits);
        Dense.BackwardParameters(_out2.AsSpan(0, batch * U2), dLogits, g.Slice(W3, U2), g.Slice(B3, 1), batch, U2, 1);
        Dense.BackwardInput(dLogits, p.Slice(W3, U2), _d2.AsSpan(0, batch * U2), batch, U2, 1);
        Lstm.Backward(_out1.AsSpan(0, batch * T * U1), p.Slice(K2, U1 * 4 * U2), p.Slice(R2, U2 * 4 * U2), _cache2.AsSpan(0, Lstm.CacheSize(batch, T, U2)),
            _d2.AsSpan(0, batch * U2), g.Slice(K2, U1 * 4 * U2), g.Slice(R2, U2 * 4 * U2), g.Slice(B2, 4 * U2), _d1.AsSpan(0, batch * T * U1),
            _scratch2.AsSpan(0, Lstm.ScratchSize(batch, T, U2)), batch, T, U1, U2, returnSequences: false, goBackwards: false);
        Lstm.Backward(x, p.Slice(K1, F * 4 * U1), p.Slice(R1, U1 * 4 * U1), _cache1.AsSpan(0, Lstm.CacheSize(batch, T, U1)),
            _d1.AsSpan(0, batch * T * U1), g.Slice(K1, F * 4 * U1), g.Slice(R1, U1 * 4 * U1), g.Slice(B1, 4 * U1), default,
            _scratch1.AsSpan(0, Lstm.ScratchSize(batch, T, U1)), batch, T, F, U1, returnSequences: true, goBackwards: false);
        return loss;
    }

    private void Ensure(int batch)
    {
        if (batch <= _capacity) return;
        _out1 = new float[batch * T * U1];
        _d1 = new float[batch * T * U1];
        _cache1 = new float[Lstm.CacheSize(batch, T, U1)];
        _scratch1 = new float[Lstm.ScratchSize(batch, T, U1)];
        _out2 = new float[batch * U2];
        _d2 = new float[batch * U2];
        _cache2 = new float[Lstm.CacheSize(batch, T, U2)];
        _scratch2 = new float[Lstm.ScratchSize(batch, T, U2)];
        _logits = new float[batch];
        _dLogits = new float[batch];
        _capacity = batch;
    }
}
