namespace Gen;

/// <summary>Element-wise activations, with Keras 3's definitions and default constants.</summary>
public enum Activation
{
    /// <summary>f(x) = x.</summary>
    Linear = 0,
    /// <summary>f(x) = max(x, 0).</summary>
    Relu,
    /// <summary>f(x) = 1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>f(x) = tanh(x).</summary>
    Tanh,
    /// <summary>Softmax over the last axis.</summary>
    Softmax,
    /// <summary>Exact GELU, x·Φ(x) (Keras's default <c>approximate=False</c>).</summary>
    Gelu,
    /// <summary>x if x &gt; 0, else e^x − 1 (alpha 1).</summary>
    Elu,
    /// <summary>scale·elu(x, alpha) with Keras's constants (1.0507009873554805, 1.6732632423543772).</summary>
    Selu,
    /// <summary>f(x) = log(1 + e^x).</summary>
    Softplus,
    /// <summary>f(x) = x·sigmoid(x).</summary>
    Swish,
    /// <summary>Another name for <see cref="Swish"/>.</summary>
    Silu = Swish,
    /// <summary>x if x &gt;= 0, else 0.2·x (Keras's default negative slope).</summary>
    LeakyRelu,
}
