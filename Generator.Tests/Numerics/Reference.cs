using Gen;

namespace Gen.Generator.Tests.Numerics;

/// <summary>
/// An independent float64 implementation of a Dense model and of Keras's losses, written from the equations
/// in docs/keras-semantics.md; it shares no code with the runtime.
/// </summary>
internal sealed record ReferenceLayer(int Inputs, int Units, Activation Activation, bool UseBias);

internal sealed record ReferenceLoss(LossKind Kind, bool FromLogits = false, double LabelSmoothing = 0, double Delta = 1, Reduction Reduction = Reduction.SumOverBatchSize);

internal static class Reference
{
    /// <summary>The reduced loss of the model with parameters <paramref name="p"/> (arena layout: per layer kernel then bias).</summary>
    public static double Loss(ReferenceLayer[] layers, ReferenceLoss loss, double[] p, double[] x, double[] y, double[]? weights, int batch)
    {
        double[] output = Forward(layers, p, x, batch);
        int width = layers[^1].Units;
        double total = 0, weightSum = 0;
        for (int i = 0; i < batch; i++)
        {
            double w = weights?[i] ?? 1.0;
            int targetWidth = loss.Kind == LossKind.SparseCategoricalCrossentropy ? 1 : width;
            total += w * SampleLoss(loss, output.AsSpan(i * width, width), y.AsSpan(i * targetWidth, targetWidth));
            weightSum += w;
        }
        return loss.Reduction switch
        {
            Reduction.Sum => total,
            Reduction.MeanWithSampleWeight => weightSum == 0 ? 0 : total / weightSum,
            _ => total / batch,
        };
    }

    public static double[] Forward(ReferenceLayer[] layers, double[] p, double[] x, int batch)
    {
        double[] input = x;
        int offset = 0;
        foreach (var layer in layers)
        {
            var output = new double[batch * layer.Units];
            int bias = offset + layer.Inputs * layer.Units;
            for (int r = 0; r < batch; r++)
            {
                for (int j = 0; j < layer.Units; j++)
                {
                    double z = layer.UseBias ? p[bias + j] : 0;
                    for (int k = 0; k < layer.Inputs; k++) z += input[r * layer.Inputs + k] * p[offset + k * layer.Units + j];
                    output[r * layer.Units + j] = z;
                }
                Activate(layer.Activation, output.AsSpan(r * layer.Units, layer.Units));
            }
            offset = bias + (layer.UseBias ? layer.Units : 0);
            input = output;
        }
        return input;
    }

    private static void Activate(Activation activation, Span<double> row)
    {
        if (activation == Activation.Softmax)
        {
            double max = double.NegativeInfinity;
            foreach (double v in row) max = Math.Max(max, v);
            double sum = 0;
            for (int j = 0; j < row.Length; j++) sum += row[j] = Math.Exp(row[j] - max);
            for (int j = 0; j < row.Length; j++) row[j] /= sum;
            return;
        }
        for (int j = 0; j < row.Length; j++)
        {
            double z = row[j];
            row[j] = activation switch
            {
                Activation.Linear => z,
                Activation.Relu => Math.Max(z, 0),
                Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
                Activation.Tanh => Math.Tanh(z),
                Activation.Gelu => 0.5 * z * (1 + Erf(z / Math.Sqrt(2))),
                Activation.Elu => z > 0 ? z : Math.Exp(z) - 1,
                Activation.Selu => z > 0 ? 1.0507009873554805 * z : 1.0507009873554805 * 1.6732632423543772 * (Math.Exp(z) - 1),
                Activation.Softplus => Math.Log(1 + Math.Exp(z)),
                Activation.Swish => z / (1 + Math.Exp(-z)),
                Activation.LeakyRelu => z >= 0 ? z : 0.2 * z,
                _ => throw new ArgumentOutOfRangeException(nameof(activation)),
            };
        }
    }

    private static double SampleLoss(ReferenceLoss loss, ReadOnlySpan<double> p, ReadOnlySpan<double> y)
    {
        int c = p.Length;
        const double Eps = 1e-7;
        switch (loss.Kind)
        {
            case LossKind.MeanSquaredError:
            {
                double s = 0;
                for (int j = 0; j < c; j++) s += (y[j] - p[j]) * (y[j] - p[j]);
                return s / c;
            }
            case LossKind.MeanAbsoluteError:
            {
                double s = 0;
                for (int j = 0; j < c; j++) s += Math.Abs(y[j] - p[j]);
                return s / c;
            }
            case LossKind.Huber:
            {
                double s = 0, d = loss.Delta;
                for (int j = 0; j < c; j++)
                {
                    double e = Math.Abs(p[j] - y[j]);
                    s += e <= d ? 0.5 * e * e : d * e - 0.5 * d * d;
                }
                return s / c;
            }
            case LossKind.BinaryCrossentropy:
            {
                double s = 0;
                for (int j = 0; j < c; j++)
                {
                    double t = y[j] * (1 - loss.LabelSmoothing) + 0.5 * loss.LabelSmoothing;
                    if (loss.FromLogits)
                    {
                        double x = p[j];
                        s += Math.Max(x, 0) - x * t + Math.Log(1 + Math.Exp(-Math.Abs(x)));
                    }
                    else
                    {
                        double q = Math.Clamp(p[j], Eps, 1 - Eps);
                        s -= t * Math.Log(q) + (1 - t) * Math.Log(1 - q);
                    }
                }
                return s / c;
            }
            default:
            {
                var target = new double[c];
                if (loss.Kind == LossKind.SparseCategoricalCrossentropy) target[(int)y[0]] = 1;
                else for (int j = 0; j < c; j++) target[j] = y[j] * (1 - loss.LabelSmoothing) + loss.LabelSmoothing / c;
                double s = 0;
                if (loss.FromLogits)
                {
                    double max = double.NegativeInfinity;
                    foreach (double v in p) max = Math.Max(max, v);
                    double logSum = 0;
                    foreach (double v in p) logSum += Math.Exp(v - max);
                    logSum = Math.Log(logSum) + max;
                    for (int j = 0; j < c; j++) s -= target[j] * (p[j] - logSum);
                }
                else
                {
                    double sum = 0;
                    foreach (double v in p) sum += v;
                    for (int j = 0; j < c; j++) s -= target[j] * Math.Log(Math.Clamp(p[j] / sum, Eps, 1 - Eps));
                }
                return s;
            }
        }
    }

    /// <summary>erf by its Maclaurin series (|x| &lt; 3) or the continued fraction of erfc, to about 1e-14.</summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a < 3)
        {
            double term = a, sum = a;
            for (int n = 1; n < 200; n++)
            {
                term *= -a * a / n;
                double next = term / (2 * n + 1);
                sum += next;
                if (Math.Abs(next) < 1e-17 * Math.Abs(sum)) break;
            }
            return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))), Lentz-free backward evaluation.
        double f = 0;
        for (int n = 60; n >= 1; n--) f = n / 2.0 / (a + f);
        double erfc = Math.Exp(-a * a) / Math.Sqrt(Math.PI) / (a + f);
        return Math.Sign(x) * (1 - erfc);
    }
}
