using System;

namespace Gen;

/// <summary>
/// A densely connected layer, <c>y = activation(x @ W + b)</c>, with the kernel W of shape (inputs, units)
/// initialised Glorot-uniform and the bias initialised to zero, as Keras's <c>Dense</c>.
/// Layers run in the order they are written; <see cref="From"/> takes the input from another layer instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    public DenseAttribute(int units, Activation activation = Activation.Linear)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of outputs.</summary>
    public int Units { get; }

    /// <summary>The activation applied after the affine map.</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer has a bias vector (default true).</summary>
    public bool UseBias { get; set; } = true;

    /// <summary>An optional name for the layer; it names the layer's weights in saved files.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}
