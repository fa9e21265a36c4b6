using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

/// <summary>The search's bookkeeping with contract graphs (its choices on real models are measured by <c>bench sites</c>).</summary>
public sealed class AdaptiveSensingTests : IDisposable
{
    private readonly ContractModel contract = new();

    [Fact]
    public void Searches_the_shared_gain_then_the_assignments_and_keeps_the_lowest_objective()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy study = Condition();

        // The sample lasts 2 h: searched as a night would be.
        SensingResult result = new AdaptiveSensing(model, new SensingOptions { NightHours = 0 }).Search(study);

        Assert.True(result.Adaptive);
        // The montage at gain 1, 4 shared gains, the 3 other assignments at the best gain, then (only
        // when an assignment won) the gain a step either side.
        string[] steps = [.. result.Evaluated.Select(e => e.Step)];
        Assert.Equal(["assignment", "gain", "gain", "gain", "gain", "assignment", "assignment", "assignment"], steps[..8]);
        Assert.True(steps.Length == 8 || (steps.Length == 10 && steps[8..].All(s => s == "gain")), string.Join(", ", steps));
        Assert.Equal(96, result.SampleEpochs);

        // The chosen candidate is at least as good as every candidate tried (the margin only keeps earlier ones).
        double chosen = result.ChosenScore!.Value;
        // A gain away from the best needs the larger gain margin.
        var defaults = new SensingOptions();
        Assert.All(result.Evaluated, e => Assert.True(chosen <= e.Score.Value + (e.Step.Contains("gain", StringComparison.Ordinal) ? defaults.GainMargin : defaults.Margin), $"{e.Candidate.Describe()}: {e.Score.Value} < {chosen}"));
        Assert.Equal(result.Evaluated.Count, result.Evaluated.Select(e => e.Candidate.Describe()).Distinct().Count());
    }

    [Fact]
    public void A_recording_shorter_than_a_night_is_searched_at_gain_one_by_entropy_alone()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        // The committed sample: 255 epochs, 2.1 h, under the 4 h of a night.
        SensingResult result = new AdaptiveSensing(model).Search(Condition());

        Assert.True(result.Adaptive);
        Assert.All(result.Evaluated, e => Assert.Equal("assignment", e.Step));
        Assert.All(result.Evaluated, e => Assert.All(e.Candidate.Gains, g => Assert.Equal(1f, g)));
        Assert.Equal(4, result.Evaluated.Count);
        Assert.All(result.Evaluated, e => Assert.Equal(e.Score.Entropy, e.Score.Value, 9));
        Assert.Contains("2.1 h of scorable epochs is shorter than a night (4 h)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_is_the_montage_at_gain_one_and_searches_nothing()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        SensingResult result = new AdaptiveSensing(model).Plain(Condition());

        Assert.False(result.Adaptive);
        Assert.Empty(result.Evaluated);
        Assert.Equal("EEG Fpz-Cz ×1 | EEG Pz-Oz ×1 | 0.3–35 Hz", result.Chosen.Describe());
    }

    [Fact]
    public void An_explicit_mapping_is_not_searched()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        using EdfReader reader = EdfReader.Open(MontageStudies.Sample);
        ConditionedStudy study = new StudyConditioner().Condition(reader, ["EEG Pz-Oz=frontal"], eegCandidates: true);

        SensingResult result = new AdaptiveSensing(model).Search(study);

        Assert.False(result.Adaptive);
        Assert.Contains("explicit", result.Reason, StringComparison.Ordinal);
        Assert.Equal("EEG Pz-Oz ×1 | silent | 0.3–35 Hz", result.Chosen.Describe());
    }

    public void Dispose() => contract.Dispose();

    private static ConditionedStudy Condition()
    {
        using EdfReader reader = EdfReader.Open(MontageStudies.Sample);
        return new StudyConditioner().Condition(reader, eegCandidates: true);
    }
}
