namespace Gen.Generator.Tests;

/// <summary>Copies of a model's buffers for assertions: weights cross the model boundary by copies.</summary>
internal static class ModelAccess
{
    public static float[] Weights(this IModel model)
    {
        var values = new float[model.ParameterCount];
        model.CopyParametersTo(values);
        return values;
    }

    public static float[] GradientValues(this IModel model)
    {
        var values = new float[model.ParameterCount];
        model.CopyGradientsTo(values);
        return values;
    }

    public static float[] StateValues(this IModel model)
    {
        var values = new float[model.StateCount];
        model.CopyStateTo(values);
        return values;
    }

    /// <summary>Moves every weight by a uniform draw in ±<paramref name="scale"/>, so gradients are tested away from special points.</summary>
    public static void Perturb(this IModel model, Random random, double scale = 0.1)
    {
        var weights = model.Weights();
        for (int i = 0; i < weights.Length; i++) weights[i] += (float)(random.NextDouble() * 2 * scale - scale);
        model.SetParameters(weights);
    }
}
