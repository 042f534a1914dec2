// Trains the same small classifier with seven optimizers and compares where each gets in 10 epochs.
// The models differ only in their optimizer attribute (see Classifiers.cs); the data, the initial weights
// (seed 42) and the order of the batches are the same for all of them.
using Gen;
using Gen.Samples.Optimizers;
using static System.FormattableString;

// Three overlapping Gaussian blobs in 4 dimensions: 1,500 samples to train on, 600 to test on.
var (xTrain, yTrain) = Blobs(1500, seed: 1);
var (xTest, yTest) = Blobs(600, seed: 2);

Console.WriteLine("optimizer        loss after 1 epoch  after 10  test loss  test accuracy");
Report("SGD", new SgdClassifier(seed: 42));
Report("SGD + momentum", new MomentumClassifier(seed: 42));
Report("SGD + Nesterov", new NesterovClassifier(seed: 42));
Report("Adam", new AdamClassifier(seed: 42));
Report("AdamW", new AdamWClassifier(seed: 42));
Report("RMSprop", new RmsPropClassifier(seed: 42));
Report("Adagrad", new AdagradClassifier(seed: 42));

// Every generated model implements IModel, so one function can train and test any of them through the
// Trainer that their own Fit and Evaluate call.
void Report(string name, IModel model)
{
    History history = Trainer.Fit(model, xTrain, yTrain, epochs: 10, batchSize: 32, seed: 42, verbose: 0);
    Evaluation test = Trainer.Evaluate(model, xTest, yTest);
    Console.WriteLine(Invariant($"{name,-16} {history["loss"][0],18:F4}  {history["loss"][^1],8:F4}  {test.Loss,9:F4}  {test["sparse_categorical_accuracy"],13:F4}"));
}

// n samples of 4 features: class c (0, 1 or 2) is a unit-variance Gaussian around centres[c].
static (float[,] X, int[] Y) Blobs(int n, int seed)
{
    float[][] centres = [[1.5f, 0, 0, 0], [0, 1.5f, 0, 0], [0, 0, 1.5f, 0]];
    var random = new Random(seed);
    var x = new float[n, 4];
    var y = new int[n];
    for (int i = 0; i < n; i++)
    {
        y[i] = random.Next(3);
        for (int j = 0; j < 4; j++) x[i, j] = centres[y[i]][j] + Gaussian(random);
    }
    return (x, y);
}

// A standard normal draw (Box–Muller).
static float Gaussian(Random random) =>
    (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
