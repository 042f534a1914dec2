using System.Numerics;

namespace Gen.Runtime.Tests;

/// <summary>The vectorised update loops compute each element exactly as the scalar loop at the tensor's tail does.</summary>
public sealed class OptimizerVectorTests
{
    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0.01f, 0.05f)]
    public void Adam_gives_bit_identical_results_in_the_vector_body_and_the_scalar_tail(float weightDecay, float clipValue)
    {
        int lanes = Vector<float>.Count;
        int length = lanes + 1; // elements 0..lanes-1 take the vector loop, element `lanes` the scalar one
        var optimizer = new Adam(learningRate: 0.01f)
        {
            WeightDecay = weightDecay == 0 ? null : weightDecay,
            ClipValue = clipValue == 0 ? null : clipValue,
        };
        var random = new Random(7);
        var parameters = new float[length];
        var gradients = new float[length];
        for (int step = 0; step < 25; step++)
        {
            float w = step == 0 ? 0.75f : parameters[0];
            float g = (float)(random.NextDouble() * 0.2 - 0.1);
            for (int i = 0; i < length; i++)
            {
                if (step == 0) parameters[i] = w;
                gradients[i] = g;
            }
            optimizer.Apply(parameters, gradients);
            Assert.Equal(BitConverter.SingleToInt32Bits(parameters[0]), BitConverter.SingleToInt32Bits(parameters[lanes]));
        }
        Assert.NotEqual(0.75f, parameters[0]);
    }
}
