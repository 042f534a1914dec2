using System;

namespace Gen;

/// <summary>
/// Keras's <c>BatchNormalization</c> over the last axis: in training, (x − μ_B)/√(σ²_B + ε)·γ + β with the batch's
/// mean and biased variance, and moving ← moving·momentum + batch·(1 − momentum); in inference, the moving
/// statistics. γ starts at 1, β at 0, the moving mean at 0 and the moving variance at 1.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormalizationAttribute : Attribute
{
    /// <summary>The weight of the old value in the moving statistics (default 0.99).</summary>
    public double Momentum { get; set; } = 0.99;

    /// <summary>Added to the variance (default 1e-3).</summary>
    public double Epsilon { get; set; } = 1e-3;

    /// <summary>Whether the layer has the offset β (default true).</summary>
    public bool Center { get; set; } = true;

    /// <summary>Whether the layer has the scale γ (default true).</summary>
    public bool Scale { get; set; } = true;

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}

/// <summary>
/// Keras's <c>Dropout</c>: in training, each value is zeroed with probability <see cref="Rate"/> and the others are
/// scaled by 1/(1 − rate); in inference, the identity. Masks are drawn from a counter-based generator keyed by the
/// model's seed, the training step and the layer, so a run is reproducible.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>The fraction of values dropped, in [0, 1).</summary>
    public double Rate { get; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}

/// <summary>
/// Keras's <c>LSTM</c> over samples of shape (timesteps, features): gates [i, f, c, o], tanh and sigmoid, one
/// bias with the forget block started at 1, Glorot-uniform kernel and orthogonal recurrent kernel. Returns the
/// last hidden state, or every one with <see cref="ReturnSequences"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : Attribute
{
    public LstmAttribute(int units) => Units = units;

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Return the hidden state of every timestep (T, units) rather than the last one (units).</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>Process the sequence from its last timestep to its first.</summary>
    public bool GoBackwards { get; set; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}

/// <summary>
/// Keras's <c>GRU</c> with its default <c>reset_after=True</c> over samples of shape (timesteps, features): gates
/// [z, r, h], an input and a recurrent bias (shape (2, 3·units)), Glorot-uniform kernel, orthogonal recurrent
/// kernel, zero biases; h ← z·h + (1 − z)·tanh(x·W_h + r·(h·U_h + b_h)).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute : Attribute
{
    public GruAttribute(int units) => Units = units;

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Return the hidden state of every timestep (T, units) rather than the last one (units).</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>Process the sequence from its last timestep to its first.</summary>
    public bool GoBackwards { get; set; }

    /// <summary>An optional name for the layer.</summary>
    public string? Name { get; set; }

    /// <summary>The layer whose output this layer takes: "input" for the model's input; by default the layer written before (or the input, for the first).</summary>
    public string? From { get; set; }
}
