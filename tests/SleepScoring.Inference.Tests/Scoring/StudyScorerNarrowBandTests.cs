using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_sensing_low_pass_the_model_was_trained_on_draws_the_views_above_its_edge_silent(bool trainedOnIt)
    {
        using var muscle = new ContractModel(["raw@100", "30-45@5"]);
        muscle.WriteCard(conditioningLowPass: 45, narrowBand: 25, filterEdges: trainedOnIt ? [20] : null);
        using StagingModel model = StagingModel.Load(muscle.Directory);
        var scorer = new StudyScorer(model);
        using EdfReader reader = EdfReader.Open(MontageStudies.Sample);
        ConditionedStudy study = scorer.Condition(reader, new ScoringRequest());
        ScoredStudy scored = scorer.Score(reader);
        Assert.NotNull(scored.Sensing);
        var lowPassed = new SensingCandidate(scored.Sensing.Result.Chosen.Slots, scored.Sensing.Result.Chosen.Gains, SensingFilter.Parse("lp:20"));
        ScoredStudy throughLowPass = scored with { Sensing = scored.Sensing with { Result = scored.Sensing.Result with { Chosen = lowPassed } } };
        int epoch = scored.Epochs.First(e => e.Stage is not SleepStage.Unscored).Index + 40;

        byte[] image = scorer.EpochInputs(study, throughLowPass, epoch).Image;

        // Rows: per derivation, the trace's 32 rows then the muscle view's 32 (300 columns, one byte a pixel).
        // A silent strip draws the same column all along; a drawn trace or 30–45 Hz view does not.
        bool[] silentStrips = [.. Enumerable.Range(0, 4).Select(strip => Enumerable.Range(strip * 32, 32).All(row =>
            image.AsSpan(row * 300, 300).IndexOfAnyExcept(image[row * 300]) < 0))];
        Assert.Equal(trainedOnIt ? new[] { false, true, false, true } : [false, false, false, false], silentStrips);
    }

    [Fact]
    public void The_presentation_edge_is_a_trained_low_pass_below_the_studys_band()
    {
        contract.WriteCard(conditioningLowPass: 45, narrowBand: 25, filterEdges: [20, 15]);
        SleepScoring.Model.ModelImageSpec input;
        using (StagingModel model = StagingModel.Load(contract.Directory))
        {
            input = model.Card.Input;
        }

        Assert.Equal(20, input.PresentationEdge(null, 20));
        Assert.Equal(15, input.PresentationEdge(25, 15));
        Assert.Null(input.PresentationEdge(null, 18)); // not trained on: the filter leaves the views
        Assert.Null(input.PresentationEdge(null, null));
        Assert.Equal(25, input.PresentationEdge(25, null));
        Assert.Null((input with { FilterEdges = null }).PresentationEdge(null, 20));
        SensingFilter highPass = SensingFilter.Parse("0.5-20");
        Assert.Null(new SensingCandidate([null], [1f], highPass).Signals((_, _) => SlotSignals.Silent, input, null).BandEdge); // a band-pass is not a presentation it was trained on
        Assert.Equal(20, new SensingCandidate([null], [1f], SensingFilter.Parse("lp:20")).Signals((_, _) => SlotSignals.Silent, input, null).BandEdge);
    }

    public void Dispose()
    {
        contract.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
