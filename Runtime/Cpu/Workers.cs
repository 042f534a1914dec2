namespace Gen.Cpu;

/// <summary>
/// The threads the CPU kernels share. A job is split into parts; each part is computed by exactly one
/// thread and writes its own outputs, in the same order whatever thread takes it, so results are the same
/// for any <see cref="Count"/>. Dispatching allocates nothing: workers are started once and woken per job.
/// </summary>
public static unsafe class Workers
{
    private static readonly object Gate = new();
    private static Thread[] _threads = [];
    private static SemaphoreSlim[] _wake = [];
    // A semaphore rather than an event: its synchronous Wait allocates nothing even when it has to block.
    private static readonly SemaphoreSlim Done = new(0);
    private static delegate*<void*, int, void> _body;
    private static void* _state;
    private static int _parts, _nextPart, _active;

    /// <summary>
    /// The number of threads kernels use, the calling thread included (default: the machine's processors,
    /// or the GEN_THREADS environment variable). 1 runs everything on the calling thread.
    /// </summary>
    public static int Count
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = DefaultCount();

    private static int DefaultCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("GEN_THREADS"), out int n) && n >= 1 ? n : Environment.ProcessorCount;

    /// <summary>Runs <paramref name="body"/>(state, part) for every part in [0, parts), on up to <see cref="Count"/> threads; returns when all are done.</summary>
    internal static void Run(delegate*<void*, int, void> body, void* state, int parts)
    {
        int helpers = Math.Min(Count, parts) - 1;
        if (helpers <= 0)
        {
            for (int part = 0; part < parts; part++) body(state, part);
            return;
        }
        lock (Gate)
        {
            EnsureThreads(helpers);
            _body = body;
            _state = state;
            _parts = parts;
            _nextPart = 0;
            _active = helpers + 1;
            for (int i = 0; i < helpers; i++) _wake[i].Release();
            Work();
            Done.Wait();
            _body = null;
            _state = null;
        }
    }

    private static void Work()
    {
        int part;
        while ((part = Interlocked.Increment(ref _nextPart) - 1) < _parts) _body(_state, part);
        if (Interlocked.Decrement(ref _active) == 0) Done.Release();
    }

    private static void EnsureThreads(int helpers)
    {
        if (_threads.Length >= helpers) return;
        var threads = new Thread[helpers];
        var wake = new SemaphoreSlim[helpers];
        _threads.CopyTo(threads, 0);
        _wake.CopyTo(wake, 0);
        for (int i = _threads.Length; i < helpers; i++)
        {
            var signal = wake[i] = new SemaphoreSlim(0);
            threads[i] = new Thread(() =>
            {
                while (true)
                {
                    signal.Wait();
                    Work();
                }
            })
            { IsBackground = true, Name = "Gen CPU worker " + i };
            threads[i].Start();
        }
        _threads = threads;
        _wake = wake;
    }
}
