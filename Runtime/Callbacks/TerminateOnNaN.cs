namespace Gen;

/// <summary>
/// Stops training when the loss becomes NaN or infinite (Keras's <c>TerminateOnNaN</c>): after each batch it
/// reads the batch logs' "loss" (the epoch's running mean, which turns NaN or infinite with the first such batch
/// loss), prints "Batch b: Invalid loss, terminating training" and sets <see cref="TrainingContext.StopTraining"/>.
/// <c>Fit</c> then ends the epoch (with validation and <see cref="Callback.OnEpochEnd"/>) and training.
/// </summary>
public sealed class TerminateOnNaN : Callback
{
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (logs.TryGetValue("loss", out float loss) && !float.IsFinite(loss))
        {
            Context.Messages.WriteLine($"Batch {batch}: Invalid loss, terminating training");
            Context.StopTraining = true;
        }
    }
}
