using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Tests.Support;

namespace SleepScoring.Inference.Tests.Scoring;

/// <summary>How the scorer reads a study that lacks part of its model's band (<see cref="NarrowBandRecording"/>).</summary>
public sealed class StudyScorerNarrowBandTests : IDisposable
{
    private readonly ContractModel contract = new();
    private readonly string folder = Directory.CreateTempSubdirectory("sleepscoring-narrow-").FullName;

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
}
