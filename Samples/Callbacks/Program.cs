// Callbacks watch training from epoch to epoch. Here the validation loss soon stops improving, and:
//   ReduceLROnPlateau halves the learning rate after 3 epochs without improvement,
//   EarlyStopping ends training after 8, and puts back the weights of the best epoch,
//   ModelCheckpoint saves the weights each time the validation loss reaches a new best,
//   CsvLogger writes one line per epoch.
using Gen;
using Gen.Checkpoints;
using Gen.Samples.Callbacks;
using static System.FormattableString;

// Label = whether x0 + x1 > 0, with one label in five flipped: nothing can do better than 80% accuracy, and a
// network that tries on 200 samples learns noise.
var (xTrain, yTrain) = Noisy(200, seed: 1);
var (xValid, yValid) = Noisy(1000, seed: 2);

string folder = Directory.CreateTempSubdirectory("gen-callbacks-").FullName;
string checkpointPath = Path.Combine(folder, "best.safetensors");
string csvPath = Path.Combine(folder, "log.csv");

var reduceLR = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 3);
var earlyStopping = new EarlyStopping(monitor: "val_loss", patience: 8, restoreBestWeights: true);
var checkpoint = new ModelCheckpoint(checkpointPath, monitor: "val_loss", saveBestOnly: true);
var csvLogger = new CsvLogger(csvPath);

var model = new Classifier(seed: 42);
History history = model.Fit(xTrain, yTrain, epochs: 200, batchSize: 32, validationData: (xValid, yValid), seed: 42, verbose: 0,
    callbacks: [reduceLR, earlyStopping, checkpoint, csvLogger]);

// Epochs are counted from 0 by the callbacks and from 1 in what is printed. History["learning_rate"] is the
// rate an epoch trained with; ReduceLROnPlateau lowers it at an epoch's end, for the epochs after.
Console.WriteLine("epoch  val_loss  learning_rate");
for (int epoch = 0; epoch < history.Epochs; epoch++)
{
    float rate = history["learning_rate"][epoch];
    float next = epoch + 1 < history.Epochs ? history["learning_rate"][epoch + 1] : model.Optimizer.LearningRate;
    string note = epoch == earlyStopping.BestEpoch ? "  <- best" : "";
    if (next < rate) note += Invariant($"  <- ReduceLROnPlateau: {rate:G4} -> {next:G4} from here on");
    Console.WriteLine(Invariant($"{epoch + 1,5}  {history["val_loss"][epoch],8:F4}  {rate,13:G4}{note}"));
}
Console.WriteLine(Invariant($"EarlyStopping stopped training after epoch {earlyStopping.StoppedEpoch + 1} of 200; the best was epoch {earlyStopping.BestEpoch + 1}."));

// restoreBestWeights: the model now holds the best epoch's weights, so its validation loss is that epoch's.
var restored = model.Evaluate(xValid, yValid);
Console.WriteLine(Invariant($"val_loss of the restored model: {restored.Loss:F4} (best epoch: {earlyStopping.Best:F4})"));

// The checkpoint holds the same weights: one flat "parameters" tensor, and the 1-based epoch in its metadata.
var tensors = SafeTensors.Load(checkpointPath, out var metadata);
float[] restoredWeights = new float[model.ParameterCount];
model.CopyParametersTo(restoredWeights);
bool same = tensors[0].Data.AsSpan().SequenceEqual(restoredWeights);
Console.WriteLine($"checkpoint from epoch {metadata["epoch"]} holds {tensors[0].Data.Length} parameters, equal to the restored ones: {same}");

Console.WriteLine();
Console.WriteLine($"{csvPath}, first 5 lines:");
foreach (string line in File.ReadLines(csvPath).Take(5)) Console.WriteLine(line);
Directory.Delete(folder, recursive: true);

// n points uniform in [−1, 1]², labelled by x0 + x1 > 0, each label flipped with probability 0.2.
static (float[,] X, float[] Y) Noisy(int n, int seed)
{
    var random = new Random(seed);
    var x = new float[n, 2];
    var y = new float[n];
    for (int i = 0; i < n; i++)
    {
        x[i, 0] = (float)(2 * random.NextDouble() - 1);
        x[i, 1] = (float)(2 * random.NextDouble() - 1);
        bool positive = x[i, 0] + x[i, 1] > 0;
        if (random.NextDouble() < 0.2) positive = !positive;
        y[i] = positive ? 1 : 0;
    }
    return (x, y);
}
