namespace Gen;

/// <summary>
/// Keras's <c>CosineDecayRestarts</c> (SGDR, Loshchilov &amp; Hutter): period <c>i</c> (from 0) lasts
/// <c>firstDecaySteps · tMul^i</c> steps, and within it the rate falls along a cosine from
/// <c>initial · ((1 − α) · mMul^i + α)</c> towards <c>α · initial</c>:
/// <c>lr = initial · ((1 − α) · mMul^i · ½(1 + cos(π f)) + α)</c>, with <c>f</c> the fraction of period <c>i</c> done.
/// Keras finds the period in closed form, <c>i = floor(log(1 − (step/first)(1 − tMul)) / log tMul)</c>
/// (<c>i = floor(step/first)</c> when <c>tMul = 1</c>); here <c>i</c> is then corrected by one where rounding
/// puts a step on the wrong side of a period's start, so each restart lands exactly on its step.
/// </summary>
public sealed class CosineDecayRestarts : LearningRateSchedule
{
    /// <param name="initialLearningRate">The rate at step 0 (finite, ≥ 0).</param>
    /// <param name="firstDecaySteps">The length of the first period (≥ 1).</param>
    /// <param name="tMul">The growth of each period's length (finite, ≥ 1; below 1 the periods would sum to a finite
    /// number of steps, after which Keras's formula gives NaN).</param>
    /// <param name="mMul">The factor on each period's starting rate (finite, ≥ 0).</param>
    /// <param name="alpha">The lowest rate as a fraction of <paramref name="initialLearningRate"/>, in [0, 1].</param>
    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul = 2, double mMul = 1, double alpha = 0)
    {
        CheckLearningRate(initialLearningRate, nameof(initialLearningRate));
        CheckSteps(firstDecaySteps, nameof(firstDecaySteps));
        CheckRange(tMul, 1, double.PositiveInfinity, nameof(tMul));
        CheckRange(mMul, 0, double.PositiveInfinity, nameof(mMul));
        CheckRange(alpha, 0, 1, nameof(alpha));
        InitialLearningRate = initialLearningRate;
        FirstDecaySteps = firstDecaySteps;
        TMul = tMul;
        MMul = mMul;
        Alpha = alpha;
    }

    public double InitialLearningRate { get; }
    public long FirstDecaySteps { get; }
    public double TMul { get; }
    public double MMul { get; }
    public double Alpha { get; }

    public override float GetLearningRate(long step)
    {
        CheckStep(step);
        double f = (double)step / FirstDecaySteps;
        double i, fraction;
        if (TMul == 1)
        {
            i = Math.Floor(f);
            fraction = f - i;
        }
        else
        {
            i = Math.Floor(Math.Log(1 - f * (1 - TMul)) / Math.Log(TMul));
            // The periods before period i add up to (tMul^i − 1)/(tMul − 1) first periods.
            if (f < Start(i)) i--;
            else if (f >= Start(i + 1)) i++;
            fraction = (f - Start(i)) / Math.Pow(TMul, i);
        }
        double cosine = 0.5 * Math.Pow(MMul, i) * (1 + Math.Cos(Math.PI * fraction));
        return (float)(InitialLearningRate * ((1 - Alpha) * cosine + Alpha));
    }

    /// <summary>Where period <paramref name="i"/> starts, in first periods.</summary>
    private double Start(double i) => (Math.Pow(TMul, i) - 1) / (TMul - 1);
}
