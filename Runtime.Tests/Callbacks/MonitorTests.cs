namespace Gen.Runtime.Tests.Callbacks;

public sealed class MonitorTests
{
    [Theory]
    [InlineData("loss", false)]
    [InlineData("val_loss", false)]
    [InlineData("accuracy", true)]
    [InlineData("val_accuracy", true)]
    [InlineData("sparse_categorical_accuracy", true)]
    [InlineData("val_binary_accuracy", true)]
    [InlineData("acc", true)]
    [InlineData("auc", true)]
    [InlineData("val_auc_1", true)]
    [InlineData("precision", true)]
    [InlineData("recall", true)]
    [InlineData("f1_score", true)]
    [InlineData("r2_score", true)]
    [InlineData("mean_absolute_error", false)]
    [InlineData("val_mean_squared_error", false)]
    [InlineData("root_mean_squared_error", false)]
    [InlineData("mse", false)]
    [InlineData("mae", false)]
    [InlineData("hinge", false)]
    [InlineData("binary_crossentropy", false)]
    [InlineData("huber_loss", false)]
    [InlineData("val_kl_divergence", false)]
    [InlineData("val_price_loss", false)] // one output's loss in a multi-output model
    public void Auto_InfersTheDirectionFromTheName(string monitor, bool maximize)
    {
        Assert.Equal(maximize, MonitorCallback.InferMaximize(monitor));
    }

    [Theory]
    [InlineData("widgets")]
    [InlineData("val_widgets")]
    [InlineData("learning_rate")]
    [InlineData("val_")]
    public void Auto_UnknownNames_HaveNoDirection(string monitor)
    {
        Assert.Null(MonitorCallback.InferMaximize(monitor));
    }

    [Fact]
    public void Monitor_MustBeNamed()
    {
        Assert.Throws<ArgumentException>(() => new EarlyStopping(""));
        Assert.Throws<ArgumentNullException>(() => new ModelCheckpoint("x.safetensors", monitor: null!));
    }
}
