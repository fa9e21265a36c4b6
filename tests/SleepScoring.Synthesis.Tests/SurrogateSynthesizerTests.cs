using SleepScoring.Analysis;
using SleepScoring.Synthesis;

namespace SleepScoring.Synthesis.Tests;

public sealed class SurrogateSynthesizerTests
{
    [Fact]
    public void Synthesize_SameFeaturesWithOtherStageLabels_GivesIdenticalSignals()
    {
        // Stage-blindness: the labels differ in every epoch, the features are the same.
        NightFeatures asScored = SynthesisTestData.Night((0, SleepStage.W), (1, SleepStage.N2), (2, SleepStage.N3), (3, SleepStage.R));
        NightFeatures relabelled = SynthesisTestData.Night((0, SleepStage.N3), (1, SleepStage.R), (2, SleepStage.W), (3, SleepStage.N1));

        SurrogateRecording a = SurrogateSynthesizer.Synthesize(asScored, 4, seed: 11);
        SurrogateRecording b = SurrogateSynthesizer.Synthesize(relabelled, 4, seed: 11);

        Assert.Equal(7, a.Signals.Count);
        for (int s = 0; s < a.Signals.Count; s++)
        {
            Assert.Equal(a.Signals[s].Samples, b.Signals[s].Samples);
        }
    }

    [Fact]
    public void Synthesize_IsDeterministicForASeed_AndDiffersAcrossSeeds()
    {
        NightFeatures night = SynthesisTestData.Night((0, SleepStage.W), (1, SleepStage.W));
        float[] first = SurrogateSynthesizer.Synthesize(night, 2, seed: 5).Signals[0].Samples;
        float[] again = SurrogateSynthesizer.Synthesize(night, 2, seed: 5, maxParallelism: 1).Signals[0].Samples;
        float[] other = SurrogateSynthesizer.Synthesize(night, 2, seed: 6).Signals[0].Samples;
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Synthesize_EpochsMissingFromTheTable_AreFillerAndMarked()
    {
        NightFeatures night = SynthesisTestData.Night((1, SleepStage.W), (4, SleepStage.N2));
        SurrogateRecording recording = SurrogateSynthesizer.Synthesize(night, 6, seed: 1);
        Assert.Equal([false, true, false, false, true, false], recording.FromScoredRow);
        Assert.Equal(6 * 3000, recording.Signals[0].Samples.Length);
        Assert.Equal(6 * 30, recording.Signals[3].Samples.Length); // 1-Hz respiration
        Assert.All(recording.Signals[0].Samples, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Synthesize_TableBeyondTheNight_IsATypedError()
    {
        NightFeatures night = SynthesisTestData.Night((9, SleepStage.W));
        ArgumentException e = Assert.Throws<ArgumentException>(() => SurrogateSynthesizer.Synthesize(night, 5, seed: 1));
        Assert.Contains("epoch 9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_NightBeyond72Hours_IsRejectedBeforeAllocating()
    {
        // A feature table whose epoch column says 2,000,000 must not become a 6·10⁹-sample signal.
        NightFeatures night = SynthesisTestData.Night((2_000_000, SleepStage.W));
        ArgumentException e = Assert.Throws<ArgumentException>(() => SurrogateSynthesizer.Synthesize(night, night.EpochSpan, seed: 1));
        Assert.Contains("2000001 epochs", e.Message, StringComparison.Ordinal);
    }
}
