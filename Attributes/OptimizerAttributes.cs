using System;

namespace Gen;

/// <summary>The options shared by every optimizer attribute. A model has exactly one optimizer.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public abstract class OptimizerAttribute : Attribute
{
    /// <summary>The learning rate η.</summary>
    public abstract double LearningRate { get; set; }
}

/// <summary>Stochastic gradient descent, <c>w ← w − η·g</c> (Keras's default learning rate 0.01).</summary>
public sealed class SgdAttribute : OptimizerAttribute
{
    public override double LearningRate { get; set; } = 0.01;
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
