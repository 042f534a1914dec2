using System.Globalization;
using Gen.Checkpoints;

namespace Gen;

/// <summary>
/// Saves the model's parameters at the end of each epoch (Keras's <c>ModelCheckpoint</c> with
/// <c>save_freq="epoch"</c>), as a safetensors file (<see cref="SafeTensors"/>) holding one float32 tensor
/// "parameters" of shape [n] (the flat parameters, <see cref="IModel.CopyParametersTo"/>), a tensor "state" of shape [m] when the model
/// has non-trainable state (<see cref="IModel.CopyStateTo"/>, such as BatchNormalization's moving statistics), and the
/// 1-based epoch in its metadata.
/// With <see cref="SaveBestOnly"/>, it saves only when the monitored value improves on the best one seen (the
/// first value always does; ties do not), and an epoch whose logs lack the monitor is skipped with a warning.
/// As in Keras, the best value is kept from one <c>Fit</c> to the next, so a later run overwrites the file only
/// with something better. Each save replaces the file whole or not at all; missing directories are created.
/// </summary>
public sealed class ModelCheckpoint : MonitorCallback
{
    private float[] _buffer = [];
    private float[] _stateBuffer = [];

    /// <param name="path">The file to write (overwritten at each save).</param>
    /// <param name="monitor">The key of the epoch logs to watch with <paramref name="saveBestOnly"/>.</param>
    /// <param name="saveBestOnly">Whether to save only when the monitored value improves.</param>
    /// <param name="mode">Whether the quantity should fall or rise, or inferred from its name.</param>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, MonitorMode mode = MonitorMode.Auto)
        : base(monitor, mode, minDelta: 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        SaveBestOnly = saveBestOnly;
    }

    public string Path { get; }
    public bool SaveBestOnly { get; }

    /// <summary>The best monitored value saved so far, or null before the first save with <see cref="SaveBestOnly"/>.</summary>
    public double? Best { get; private set; }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (SaveBestOnly)
        {
            if (!TryGetMonitorValue(logs, out float current) || !IsImprovement(current, Best)) return;
            Best = current;
        }
        Save(epoch);
    }

    private void Save(int epoch)
    {
        var model = Context.Model;
        if (_buffer.Length != model.ParameterCount) _buffer = new float[model.ParameterCount];
        if (_stateBuffer.Length != model.StateCount) _stateBuffer = new float[model.StateCount];
        model.CopyParametersTo(_buffer);
        model.CopyStateTo(_stateBuffer);
        var metadata = new Dictionary<string, string> { ["epoch"] = (epoch + 1).ToString(CultureInfo.InvariantCulture) };
        if (_stateBuffer.Length == 0)
            SafeTensors.Save(Path, [("parameters", [_buffer.Length], _buffer)], metadata);
        else
            SafeTensors.Save(Path, [("parameters", [_buffer.Length], _buffer), ("state", [_stateBuffer.Length], _stateBuffer)], metadata);
    }
}
