namespace Gen.Runtime.Tests.Training;

public sealed class ProgressDisplayTests
{
    private const string Bar = "━━━━━━━━━━━━━━━━━━━━";
    private static readonly string[] Names = ["loss", "mae", "val_loss", "val_mae"];
    private static readonly float[] Values = [0.12344f, 3f, 0.0001234f, -0.5f];

    /// <summary>One epoch of four steps: steps end at 1.0, 1.4, 1.8, 2.2 s, the epoch at 2.2 s (400 ms per step after the first).</summary>
    private static void RunEpoch(ProgressDisplay display, ManualTime time, int epoch, ReadOnlySpan<string> names, ReadOnlySpan<float> values)
    {
        time.Set(0);
        display.OnEpochBegin(epoch);
        for (int step = 1; step <= 4; step++)
        {
            time.Set(0.6 + 0.4 * step);
            if (display.StepDone(step)) display.OnBatchEnd(step, names[..2], values[..2]);
        }
        display.OnEpochEnd(names, values);
    }

    private static string Run(int verbose, bool interactive, int epochs)
    {
        var output = new StringWriter();
        var time = new ManualTime();
        var display = new ProgressDisplay(verbose, output, interactive, time);
        display.OnTrainBegin(epochs, steps: 4);
        for (int e = 0; e < epochs; e++) RunEpoch(display, time, e, Names, Values);
        return output.ToString();
    }

    [Fact]
    public void Verbose1_Redirected_PrintsHeaderAndOneFinalLinePerEpoch()
    {
        string line = $"4/4 {Bar} 2s 400ms/step - loss: 0.1234 - mae: 3.0000 - val_loss: 1.2340e-04 - val_mae: -0.5000\n";
        Assert.Equal($"Epoch 1/2\n{line}Epoch 2/2\n{line}", Run(1, interactive: false, epochs: 2));
    }

    [Fact]
    public void Verbose1_OneEpoch_HasNoEpochHeader_AsKeras()
    {
        Assert.StartsWith($"4/4 {Bar} 2s", Run(1, interactive: false, epochs: 1));
    }

    [Fact]
    public void Verbose2_PrintsOneLinePerEpochWithoutBar()
    {
        // As Keras, verbose 2 only looks at the clock at the epoch's end, so the first step is not left out: 2.2 s / 4.
        Assert.Equal("Epoch 1/2\n4/4 - 2s - 550ms/step - loss: 0.1234 - mae: 3.0000 - val_loss: 1.2340e-04 - val_mae: -0.5000\n",
            Run(2, interactive: false, epochs: 2).Split("Epoch 2/2")[0]);
    }

    [Fact]
    public void Verbose0_PrintsNothing()
    {
        Assert.Equal("", Run(0, interactive: false, epochs: 2));
        Assert.Equal("", Run(0, interactive: true, epochs: 2));
    }

    [Fact]
    public void Interactive_RedrawsInPlace_AndEndsTheEpochWithANewLine()
    {
        string text = Run(1, interactive: true, epochs: 1);
        // Four redraws (400 ms apart, above the 100 ms interval) and the final line, each starting with '\r'.
        Assert.Equal(5, text.Count(c => c == '\r'));
        Assert.Equal(1, text.Count(c => c == '\n'));
        Assert.EndsWith("\n", text);
        Assert.Contains("\x1b[32m", text); // the done part of the bar in green
        string plain = System.Text.RegularExpressions.Regex.Replace(text, "\x1b\\[[0-9]+m", "");
        string[] draws = plain.Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("1/4 ━━━━━━━━━━━━━━━━━━━━ 3s", draws[0]); // 15 grey after 5 green; ETA 3 steps × 1 s
        Assert.StartsWith("4/4 ━━━━━━━━━━━━━━━━━━━━ 2s 400ms/step - loss: 0.1234 - mae: 3.0000 - val_loss", draws[4]);
    }

    [Fact]
    public void Interactive_RedrawsAtMostEveryHundredMilliseconds()
    {
        var output = new StringWriter();
        var time = new ManualTime();
        var display = new ProgressDisplay(1, output, interactive: true, time);
        display.OnTrainBegin(1, steps: 100);
        display.OnEpochBegin(0);
        int draws = 0;
        for (int step = 1; step <= 100; step++)
        {
            time.Set(0.01 * step); // 10 ms per step: 1 s in all
            if (display.StepDone(step))
            {
                draws++;
                display.OnBatchEnd(step, ["loss"], [1f]);
            }
        }
        // The first step, one every 10 steps after it, and the last.
        Assert.InRange(draws, 10, 12);
        Assert.Equal(draws, output.ToString().Count(c => c == '\r'));
    }

    [Fact]
    public void StepCount_IsRightAlignedToTheTotal()
    {
        var output = new StringWriter();
        var time = new ManualTime();
        var display = new ProgressDisplay(1, output, interactive: true, time);
        display.OnTrainBegin(1, steps: 250);
        display.OnEpochBegin(0);
        Assert.True(display.StepDone(7));
        display.OnBatchEnd(7, ["loss"], [0.5f]);
        Assert.StartsWith("\r\x1b[1m  7/250\x1b[0m ", output.ToString());
    }

    [Fact]
    public void Values_UseKerasFormats()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(2, output, interactive: false, new ManualTime());
        display.OnTrainBegin(1, steps: 1);
        display.OnEpochBegin(0);
        display.OnEpochEnd(["a", "b", "c", "d", "e", "f"], [0f, 1234.56789f, float.NaN, float.NegativeInfinity, -0.002f, 0.0009f]);
        Assert.EndsWith(" - a: 0.0000e+00 - b: 1234.5679 - c: nan - d: -inf - e: -0.0020 - f: 9.0000e-04\n", output.ToString());
    }

    [Fact]
    public void Fit_Verbose2_PrintsTrainingAndValidationLogs()
    {
        var x = new float[10, 2];
        var y = new float[10];
        var output = new StringWriter();
        var display = new ProgressDisplay(2, output, interactive: false, new ManualTime());
        Trainer.Fit(new LinearModel(2, 1, new Sgd(0f)), x, y, epochs: 2, batchSize: 4, validationSplit: 0.2, validationData: null,
            shuffle: true, seed: 1, sampleWeight: null, display);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Equal("2/2 - 0s - 0s/step - loss: 0.0000e+00 - mae: 0.0000e+00 - val_loss: 0.0000e+00 - val_mae: 0.0000e+00", lines[1]);
    }
}
