// The seeds' price and category model on synthetic listings: ten features give a price (a smooth function of
// them, plus noise) and a category (which of three bands a second combination falls in). One shared trunk learns
// both; Fit takes a target per output, Evaluate reports each output's loss and metric by name.
using Gen;
using Gen.Samples.MultiOutput;
using static System.FormattableString;

var (xTrain, priceTrain, categoryTrain) = Make(2000, seed: 1);
var (xTest, priceTest, categoryTest) = Make(500, seed: 2);

var model = new PriceAndCategory(seed: 42);
Console.WriteLine(PriceAndCategory.Summary);
Console.WriteLine();

var history = model.Fit(xTrain, new PriceAndCategory.Targets(Price: priceTrain, Category: categoryTrain),
    epochs: 20, batchSize: 32, validationSplit: 0.2, seed: 42, verbose: 2,
    callbacks: [new EarlyStopping(monitor: "val_loss", patience: 4, restoreBestWeights: true)]);
var result = model.Evaluate(xTest, new PriceAndCategory.Targets(priceTest, categoryTest));
Console.WriteLine(Invariant($"trained {history.Epochs} epochs; test loss {result.Loss:F4} = {result.Price.Loss:F4} + 0.5 × {result.Category.Loss:F4}"));
Console.WriteLine(Invariant($"test price mean absolute error: {result.Price.MeanAbsoluteError:F4} (prices have standard deviation {StandardDeviation(priceTest):F4})"));
Console.WriteLine(Invariant($"test category accuracy: {result.Category.SparseCategoricalAccuracy:F4}"));

var predictions = model.Predict(xTest[..3]);
for (int i = 0; i < 3; i++)
    Console.WriteLine(Invariant($"listing {i}: price {predictions.Price[i, 0]:F3} (true {priceTest[i]:F3}), category probabilities [{predictions.Category[i, 0]:F2}, {predictions.Category[i, 1]:F2}, {predictions.Category[i, 2]:F2}] (true {categoryTest[i]})"));

static (float[][] X, float[] Price, int[] Category) Make(int n, int seed)
{
    var random = new Random(seed);
    var x = new float[n][];
    var price = new float[n];
    var category = new int[n];
    for (int i = 0; i < n; i++)
    {
        x[i] = new float[10];
        for (int f = 0; f < 10; f++) x[i][f] = (float)(random.NextDouble() * 2 - 1);
        double noise = (random.NextDouble() - 0.5) * 0.1;
        price[i] = (float)(1.5 * x[i][0] - x[i][1] + 0.5 * x[i][2] * x[i][3] + Math.Sin(2 * x[i][4]) + noise);
        double band = x[i][5] + x[i][6] - 0.5 * x[i][7];
        category[i] = band < -0.4 ? 0 : band < 0.4 ? 1 : 2;
    }
    return (x, price, category);
}

static double StandardDeviation(float[] values)
{
    double mean = values.Average(v => (double)v);
    return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
}
