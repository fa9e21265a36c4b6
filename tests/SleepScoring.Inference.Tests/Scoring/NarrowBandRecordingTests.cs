using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Tests.Support;

namespace SleepScoring.Inference.Tests.Scoring;

public sealed class NarrowBandRecordingTests : IDisposable
{
    private readonly ContractModel contract = new();
    private readonly string folder = Directory.CreateTempSubdirectory("sleepscoring-narrow-").FullName;

    [Theory]
    [InlineData("HP:0.3Hz LP:35Hz", 35.0)]
    [InlineData("HP:0.5Hz LP:100Hz [enhanced cassette BW]", 100.0)]
    [InlineData("lp: 70 Hz N:50Hz", 70.0)]
    [InlineData("HP:0.1Hz LP:37.5Hz", 37.5)]
    [InlineData("HP:0.1Hz LP:1kHz", 1000.0)]
    [InlineData("HP:16Hz Rectification", null)]
    [InlineData("", null)]
    public void The_low_pass_is_read_from_the_prefiltering_text(string prefiltering, double? expected) =>
        Assert.Equal(expected, NarrowBandRecording.LowPass(prefiltering));

    [Fact]
    public void A_study_sampled_at_50_hz_or_recorded_through_a_35_hz_low_pass_lacks_the_band_up_to_45_hz()
    {
        string slow = MontageStudies.Write(Path.Combine(folder, "slow.edf"), 50, ("EEG Fpz-Cz", "EEG Fpz-Cz", 1), ("EEG Pz-Oz", "EEG Pz-Oz", 1));
        string filtered = WithPrefiltering(Path.Combine(folder, "filtered.edf"), "HP:0.3Hz LP:35Hz");

        Assert.Contains("sampled at 50 Hz", Reason(slow, 45), StringComparison.Ordinal);
        Assert.Contains("35-Hz low-pass", Reason(filtered, 45), StringComparison.Ordinal);
        Assert.Null(Reason(filtered, 35)); // the band a 35-Hz model reads is all there
        Assert.Null(Reason(MontageStudies.Sample, 45)); // 100 Hz, "LP:100Hz"
    }

    [Fact]
    public void A_model_trained_on_the_narrow_band_reads_such_a_study_conditioned_up_to_its_edge_and_says_so()
    {
        contract.WriteCard(narrowBand: 25);
        string slow = MontageStudies.Write(Path.Combine(folder, "slow.edf"), 50, ("EEG Fpz-Cz", "EEG Fpz-Cz", 1), ("EEG Pz-Oz", "EEG Pz-Oz", 1));
        using StagingModel model = StagingModel.Load(contract.Directory);
        var scorer = new StudyScorer(model);

        using EdfReader reader = EdfReader.Open(slow);
        ConditionedStudy study = scorer.Condition(reader, new ScoringRequest());
        Assert.Equal(25, study.BandEdge);
        Assert.Contains(study.Warnings, w => w.Contains("narrow-band", StringComparison.Ordinal) && w.Contains("50 Hz", StringComparison.Ordinal));

        // Conditioned exactly as training conditions a narrow-band hour (the conditioner at a 25-Hz low-pass).
        ConditionedStudy expected = new StudyConditioner(ConditioningOptions.Default with { LowPass = 25 }).Condition(reader);
        Assert.Equal(expected.Derivations.Single(d => d.Name == "EEG Fpz-Cz").Samples.ToArray(), study.Derivations.Single(d => d.Name == "EEG Fpz-Cz").Samples.ToArray());
        Assert.Contains(scorer.Score(reader).Warnings, w => w.Contains("narrow-band", StringComparison.Ordinal));

        // The full-band sample is read as before.
        using EdfReader sample = EdfReader.Open(MontageStudies.Sample);
        Assert.Null(scorer.Condition(sample, new ScoringRequest()).BandEdge);
    }

    [Fact]
    public void A_model_without_the_narrow_band_reads_every_study_at_its_own_band()
    {
        string slow = MontageStudies.Write(Path.Combine(folder, "slow.edf"), 50, ("EEG Fpz-Cz", "EEG Fpz-Cz", 1), ("EEG Pz-Oz", "EEG Pz-Oz", 1));
        using StagingModel model = StagingModel.Load(contract.Directory);
        using EdfReader reader = EdfReader.Open(slow);

        ConditionedStudy study = new StudyScorer(model).Condition(reader, new ScoringRequest());

        Assert.Null(study.BandEdge);
        Assert.DoesNotContain(study.Warnings, w => w.Contains("narrow-band", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        contract.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static string? Reason(string path, double fullBand)
    {
        using EdfReader reader = EdfReader.Open(path);
        return NarrowBandRecording.Reason(reader, StudyConditioner.ResolveMontage(reader), fullBand);
    }

    /// <summary>The committed sample's two EEG channels with the prefiltering text a recorder would write.</summary>
    private static string WithPrefiltering(string path, string prefiltering)
    {
        using EdfReader sample = EdfReader.Open(MontageStudies.Sample);
        var writer = new EdfWriter { StartTime = sample.Header.StartTime, RecordDuration = 30 };
        foreach (string label in new[] { "EEG Fpz-Cz", "EEG Pz-Oz" })
        {
            EdfSignal signal = sample.Signals.First(s => s.Label == label);
            float[] samples = sample.ReadPhysical(signal.Index);
            double range = Math.Ceiling(samples.Max(v => Math.Abs(v)) * 1.01) + 1;
            writer.AddSignal(new EdfSignalSpec(label, -range, range, 3000) { PhysicalDimension = "uV", Prefiltering = prefiltering }, samples);
        }

        writer.Write(path);
        return path;
    }
}
