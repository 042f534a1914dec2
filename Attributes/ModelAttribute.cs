using System;

namespace Gen;

/// <summary>
/// Marks a <c>partial class</c> as a Gen model. The layer, loss, optimizer and metric attributes on the
/// same declaration describe it; the generator emits its forward, backward and update code and the
/// Keras-style API (<c>Fit</c>, <c>Evaluate</c>, <c>Predict</c>, <c>TrainStep</c>, <c>TestStep</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>The shape of one sample, without the batch dimension, e.g. <c>[784]</c>.</summary>
    public int[] InputShape { get; set; } = [];
}
