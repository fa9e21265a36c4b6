namespace SleepScoring.Inference.Tests;

public sealed class InferenceOptionsTests
{
    [Fact]
    public void Negative_or_zero_settings_are_refused_naming_the_setting()
    {
        Assert.Equal("Threads", Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { Threads = -1 }).ParamName);
        Assert.Equal("Workers", Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { Workers = -2 }).ParamName);
        Assert.Equal("EncoderBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { EncoderBatchSize = 0 }).ParamName);
        Assert.Equal("SequenceBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { SequenceBatchSize = -5 }).ParamName);
    }

    [Fact]
    public void Automatic_settings_share_the_cores_among_the_workers()
    {
        int cores = Environment.ProcessorCount;

        var automatic = new InferenceOptions();
        var oneWorker = new InferenceOptions { Workers = 1 };
        var crowded = new InferenceOptions { Workers = cores * 3 };
        var explicitThreads = new InferenceOptions { Workers = 2, Threads = 3 };

        Assert.Equal((cores, 1), (automatic.EffectiveWorkers, automatic.EffectiveThreads));
        Assert.Equal((1, cores), (oneWorker.EffectiveWorkers, oneWorker.EffectiveThreads));
        Assert.Equal(1, crowded.EffectiveThreads); // never fewer than one thread
        Assert.Equal((2, 3), (explicitThreads.EffectiveWorkers, explicitThreads.EffectiveThreads));
    }
}
