using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;
using SleepScoring.Tests.Common;

namespace SleepScoring.Inference.Tests.Scoring;

/// <summary>A study read with the noise floor subtracted (<see cref="SensingFilter.FloorFromHz"/>), with contract graphs.</summary>
public sealed class StudyScorerNoiseFloorTests : IDisposable
{
    private readonly ContractModel contract = new();
    private readonly string sample = Path.Combine(SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf");

    [Fact]
    public void Scoring_reads_the_copies_the_search_made_and_they_are_the_ones_scoring_would_make()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        // The sample read as a night (no 4-h minimum) with the subtraction the only filter, searched whatever the
        // fast activity and kept whatever the objective.
        var options = new SensingOptions { NightHours = 0, Filters = [SensingFilter.Parse("ns:15")], FastActivityLimit = 0, FilterMargin = -100 };
        var scorer = new StudyScorer(model, sensing: options);
        using EdfReader reader = EdfReader.Open(sample);
        ConditionedStudy study = scorer.Condition(reader, new ScoringRequest());

        ScoredStudy searched = scorer.Score(reader, study, new ScoringRequest());

        SensingResult result = searched.Sensing!.Result;
        Assert.Equal("ns:15", result.Chosen.Filter.Spec);
        Assert.Equal(result.Chosen.Slots.Count(d => d is not null), result.WholeNightCopies.Count);
        // Each copy handed over is the whole night through the subtraction, made here independently.
        foreach (ConditionedDerivation lead in result.Chosen.Slots.OfType<ConditionedDerivation>())
        {
            float[] expected = new Analysis.Signals.NoiseFloorSubtraction(15).Apply(lead.Samples.ToArray(), SignalConditioner.ModelRate);
            Assert.Equal(expected, result.WholeNightCopies[lead.Source.Key].ToArray());
        }

        // Scoring the same presentation without the hand-over (it makes its own copies) gives the same epochs.
        ScoredStudy again = scorer.ScoreAs(reader, study, new ScoringRequest(), result.Chosen);
        Assert.Equal(searched.Epochs.Select(e => e.Probabilities), again.Epochs.Select(e => e.Probabilities));
        Assert.Contains(searched.Warnings, w => w.Contains("noise floor above 15 Hz subtracted", StringComparison.Ordinal));
    }

    public void Dispose() => contract.Dispose();
}
