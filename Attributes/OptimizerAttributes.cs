using System;

namespace Gen;

/// <summary>
/// The options shared by every optimizer attribute, with Keras 3's meaning. A model has exactly one
/// optimizer. Attribute values cannot be null, so 0 means "off" where Keras's default is None.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public abstract class OptimizerAttribute : Attribute
{
    /// <summary>The learning rate η (assignable at run time through <c>model.Optimizer</c>).</summary>
    public abstract double LearningRate { get; set; }

    /// <summary>Decoupled weight decay λ: w ← w − w·λ·η before each update (0: off).</summary>
    public virtual double WeightDecay { get; set; }

    /// <summary>Clips each gradient tensor to this L2 norm on its own (0: off).</summary>
    public double ClipNorm { get; set; }

    /// <summary>Clips every gradient element to [−c, c] (0: off).</summary>
    public double ClipValue { get; set; }

    /// <summary>Scales all gradients together so their global L2 norm is at most this (0: off).</summary>
    public double GlobalClipNorm { get; set; }

    /// <summary>Accumulates this many steps' gradients and updates with their mean (0: off; otherwise at least 2).</summary>
    public int GradientAccumulationSteps { get; set; }

    /// <summary>Keeps an exponential moving average of the weights.</summary>
    public bool UseEma { get; set; }

    /// <summary>The EMA's momentum (default 0.99).</summary>
    public double EmaMomentum { get; set; } = 0.99;

    /// <summary>Every this many steps the weights are overwritten with their EMA (0: only at the end of Fit).</summary>
    public int EmaOverwriteFrequency { get; set; }

    /// <summary>A static loss scale: gradients are divided by it before anything else (0: off).</summary>
    public double LossScaleFactor { get; set; }
}

/// <summary>
/// Stochastic gradient descent (Keras's defaults: learning rate 0.01, no momentum). With momentum μ the
/// velocity holds η: m ← μ·m − η·g, w ← w + m, or with Nesterov w ← w + μ·m − η·g.
/// </summary>
public sealed class SgdAttribute : OptimizerAttribute
{
    public override double LearningRate { get; set; } = 0.01;
    public double Momentum { get; set; }
    public bool Nesterov { get; set; }
}

/// <summary>Adam, with Keras's epsilon placement (added to the uncorrected √v) and defaults.</summary>
public sealed class AdamAttribute : OptimizerAttribute
{
    public override double LearningRate { get; set; } = 0.001;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    public double Epsilon { get; set; } = 1e-7;
    public bool Amsgrad { get; set; }
}

/// <summary>AdamW: Adam with decoupled weight decay, 0.004 by default as in Keras.</summary>
public sealed class AdamWAttribute : OptimizerAttribute
{
    public override double LearningRate { get; set; } = 0.001;
    public override double WeightDecay { get; set; } = 0.004;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    public double Epsilon { get; set; } = 1e-7;
    public bool Amsgrad { get; set; }
}

/// <summary>RMSprop with Keras's defaults (ρ 0.9, ε 1e-7 inside the square root, learning rate 0.001).</summary>
public sealed class RmsPropAttribute : OptimizerAttribute
{
    public override double LearningRate { get; set; } = 0.001;
    public double Rho { get; set; } = 0.9;
    public double Momentum { get; set; }
    public double Epsilon { get; set; } = 1e-7;
    public bool Centered { get; set; }
}

/// <summary>Adagrad with Keras's defaults (accumulator starting at 0.1, ε 1e-7 inside the square root).</summary>
public sealed class AdagradAttribute : OptimizerAttribute
{
    public override double LearningRate { get; set; } = 0.001;
    public double InitialAccumulatorValue { get; set; } = 0.1;
    public double Epsilon { get; set; } = 1e-7;
}
