using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Signals;
using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

/// <summary>The search's bookkeeping with contract graphs (its choices on real models are measured by <c>bench sites</c>).</summary>
public sealed class AdaptiveSensingTests : IDisposable
{
    private readonly ContractModel contract = new();
    private readonly string folder = Directory.CreateTempSubdirectory("sleepscoring-sensing-").FullName;

    [Fact]
    public void Searches_the_shared_gain_then_the_assignments_and_keeps_the_lowest_objective()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy study = Condition();

        // The sample lasts 2 h: searched as a night would be.
        SensingResult result = new AdaptiveSensing(model, new SensingOptions { NightHours = 0, FilterThreshold = double.NegativeInfinity, FastActivityLimit = null, CheckMontage = false }).Search(study);

        Assert.True(result.Adaptive);
        // The montage at gain 1 (no amplitude profile), the 3 default filters, 4 shared gains, the 3 other
        // assignments at the best gain, then (only when an assignment won) the gain a step either side.
        string[] steps = [.. result.Evaluated.Select(e => e.Step)];
        Assert.Equal(["assignment", "filter", "filter", "filter", "gain", "gain", "gain", "gain", "assignment", "assignment", "assignment"], steps[..11]);
        Assert.True(steps.Length == 11 || (steps.Length == 13 && steps[11..].All(s => s == "gain")), string.Join(", ", steps));
        Assert.Equal(96, result.SampleEpochs);

        // The chosen candidate is at least as good as every candidate tried (the margin only keeps earlier ones).
        double chosen = result.ChosenScore!.Value;
        // A gain away from the best needs the larger gain margin.
        var defaults = new SensingOptions();
        Assert.All(result.Evaluated, e => Assert.True(chosen <= e.Score.Value + (e.Step.Contains("gain", StringComparison.Ordinal) ? defaults.GainMargin : e.Step == "filter" ? defaults.FilterMargin : defaults.Margin), $"{e.Candidate.Describe()}: {e.Score.Value} < {chosen}"));
        Assert.Equal(result.Evaluated.Count, result.Evaluated.Select(e => e.Candidate.Describe()).Distinct().Count());
    }

    [Fact]
    public void A_recording_shorter_than_a_night_is_searched_at_gain_one_by_entropy_alone()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        // The committed sample: 255 epochs, 2.1 h, under the 4 h of a night. No filter is tried either.
        SensingResult result = new AdaptiveSensing(model, new SensingOptions { Filters = [SensingFilter.Parse("lp:20")], CheckMontage = false }).Search(Condition());

        Assert.True(result.Adaptive);
        Assert.All(result.Evaluated, e => Assert.Equal("assignment", e.Step));
        Assert.All(result.Evaluated, e => Assert.All(e.Candidate.Gains, g => Assert.Equal(1f, g)));
        Assert.Equal(4, result.Evaluated.Count);
        Assert.All(result.Evaluated, e => Assert.Equal(e.Score.Entropy, e.Score.Value, 9));
        Assert.Contains("2.1 h of scorable epochs is shorter than a night (4 h)", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["filter", "gain"], result.Skipped.Select(s => s.Step));
        Assert.Equal(["×0.5", "×0.71", "×1.41", "×2"], result.Skipped[1].Candidates);
    }

    [Theory]
    [InlineData(100.0, "0.3–35 Hz")]
    [InlineData(-100.0, "0.3–15 Hz")]
    public void Tries_the_filters_first_and_keeps_one_only_when_it_wins_by_the_filter_margin(double margin, string kept)
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        var options = new SensingOptions { NightHours = 0, Filters = [SensingFilter.Parse("lp:20"), SensingFilter.Parse("lp:15")], FilterMargin = margin, FilterThreshold = double.NegativeInfinity, FastActivityLimit = null };

        SensingResult result = new AdaptiveSensing(model, options).Search(Condition());

        string[] steps = [.. result.Evaluated.Select(e => e.Step)];
        Assert.Equal(["assignment", "filter", "filter", "gain"], steps[..4]);
        Assert.Equal(["0.3–35 Hz", "0.3–20 Hz", "0.3–15 Hz"], result.Evaluated.Take(3).Select(e => e.Candidate.Filter.Name));

        // A margin no filter can beat keeps the conditioning's band; a negative one takes each filter in
        // turn (the last). Every gain and assignment after is tried with the filter kept.
        Assert.Equal(kept, result.Chosen.Filter.Name);
        Assert.All(result.Evaluated.Skip(3), e => Assert.Equal(kept, e.Candidate.Filter.Name));
    }

    [Fact]
    public void Searches_the_filters_only_when_the_montage_scores_above_the_filter_threshold()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy study = Condition();
        var options = new SensingOptions { NightHours = 0, FilterMargin = 100, FastActivityLimit = null, CheckMontage = false };
        SensingResult searched = new AdaptiveSensing(model, options with { FilterThreshold = double.NegativeInfinity }).Search(study);
        double montage = searched.Evaluated[0].Score.Value;

        SensingResult above = new AdaptiveSensing(model, options with { FilterThreshold = montage - 1e-6 }).Search(study);
        SensingResult at = new AdaptiveSensing(model, options with { FilterThreshold = montage }).Search(study);

        Assert.Equal(["filter", "filter", "filter"], above.Evaluated.Skip(1).Take(3).Select(e => e.Step));
        Assert.Empty(above.Skipped);
        Assert.DoesNotContain(at.Evaluated, e => e.Step == "filter");
        SensingSkip skip = Assert.Single(at.Skipped, s => s.Step == "filter");
        Assert.Equal(["noise floor above 15 Hz subtracted", "0.3–20 Hz", "0.3–15 Hz"], skip.Candidates);
        Assert.Contains("filter threshold", skip.Reason, StringComparison.Ordinal);
        Assert.Contains("filters not searched", at.Reason, StringComparison.Ordinal);

        // The candidates still searched score as when the filters were searched (and lost).
        Assert.Equal(
            searched.Evaluated.Where(e => e.Step != "filter" && e.Candidate.Slots.All(d => d is not null)).Select(e => (e.Candidate.Describe(), e.Score.Value)),
            at.Evaluated.Select(e => (e.Candidate.Describe(), e.Score.Value)));
    }

    [Fact]
    public void With_a_fast_activity_limit_the_filters_are_searched_when_a_lead_exceeds_it_whatever_the_objective()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy study = Condition();
        var options = new SensingOptions { NightHours = 0, FilterMargin = 100 };
        SensingResult measured = new AdaptiveSensing(model, options).Search(study);

        // Each EEG lead of the montage, measured on the sample against its 20-Hz low-pass; recorded with the limit.
        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], measured.FastActivity!.Select(f => f.Source));
        Assert.Equal(0.2, measured.FastActivityLimit);
        double highest = measured.FastActivity!.Max(f => f.Share!.Value);
        Assert.InRange(highest, 0.001, 0.999);

        // Just under the most active lead: searched even when the objective is under any threshold.
        SensingResult above = new AdaptiveSensing(model, options with { FastActivityLimit = highest - 1e-6, FilterThreshold = double.PositiveInfinity }).Search(study);
        // At it: not searched even when the objective is above any threshold.
        SensingResult at = new AdaptiveSensing(model, options with { FastActivityLimit = highest, FilterThreshold = double.NegativeInfinity }).Search(study);

        Assert.Equal(["filter", "filter"], above.Evaluated.Skip(1).Take(2).Select(e => e.Step));
        Assert.Contains("filters searched: fast activity above 20 Hz", above.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(at.Evaluated, e => e.Step == "filter");
        SensingSkip skip = Assert.Single(at.Skipped, s => s.Step == "filter");
        Assert.Contains("fast activity above 20 Hz EEG Fpz-Cz", skip.Reason, StringComparison.Ordinal);
        Assert.Contains("a night without broadband noise is not filtered", skip.Reason, StringComparison.Ordinal);

        // Leaving a recorded lead out follows the same gate, not the objective.
        Assert.Equal(2, above.Evaluated.Count(e => e.Step == "assignment" && e.Candidate.Slots.Any(d => d is null)));
        Assert.DoesNotContain(at.Evaluated, e => e.Candidate.Slots.Any(d => d is null));
        SensingSkip kept = Assert.Single(at.Skipped, s => s.Step == "assignment" && s.Candidates.Contains("EEG Fpz-Cz + silent"));
        Assert.Contains("a study without broadband noise keeps every recorded EEG derivation", kept.Reason, StringComparison.Ordinal);

        // The measure is the product's model-free one over the sample's epochs.
        ConditionedDerivation frontal = study.For(DerivationRole.FrontalEeg)!;
        float[] filtered = [.. frontal.Samples.ToArray()];
        SensingFilter.Parse("lp:20").Create(SignalConditioner.ModelRate).Apply(filtered);
        using var lowPassed = new MemoryStore<float>(filtered);
        Assert.Equal(FastActivity.MedianShare(frontal.Samples, lowPassed, measured.SampleEpochIndices)!.Value, measured.FastActivity![0].Share!.Value, 6);
    }

    [Fact]
    public void A_recording_scanned_for_its_sleep_is_scanned_low_passed_when_its_quiet_quarter_carries_fast_activity()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy study = Condition();

        // The sample (2.1 h, no lights) is scanned when the scan starts at 1 h. Every share exceeds 0 and none exceeds 1.
        SensingResult noisy = new AdaptiveSensing(model, new SensingOptions { ScanHours = 1, FastActivityLimit = 0 }).Search(study);
        SensingResult clean = new AdaptiveSensing(model, new SensingOptions { ScanHours = 1, FastActivityLimit = 1 }).Search(study);
        SensingResult unscanned = new AdaptiveSensing(model, new SensingOptions { FastActivityLimit = 0 }).Search(study);

        Assert.Contains("the sleep scan read the montage low-passed at 20 Hz: fast activity EEG Fpz-Cz", noisy.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("sleep scan", clean.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("sleep scan", unscanned.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_night_whose_sleep_scan_finds_a_short_span_is_searched_as_a_night_without_gain_steps()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        // 6 h that the contract encoder reads as wake in the first and last 2 h (a deflection that fills
        // the top row of its first columns) and as sleep between: the scan leaves about 2 h. Broadband
        // noise does this to a real night; judged as an excerpt, its filters went unsearched.
        ConditionedStudy study = Condition(WakeAroundSleep(Path.Combine(folder, "wake-sleep-wake.edf"), hours: 6, wakeHours: 2));
        SensingResult result = new AdaptiveSensing(model, new SensingOptions { ScanHours = 1, FastActivityLimit = 0, CheckMontage = false }).Search(study);

        int[] sample = [.. result.SampleEpochIndices];
        Assert.True(sample.Min() >= 100 && sample.Max() < 620, $"the scan should keep the middle hours (epochs 240–479), sampled {sample.Min()}–{sample.Max()}");
        Assert.DoesNotContain("shorter than a night (4 h): an excerpt", string.Join(" / ", result.Skipped.Select(s => s.Reason)), StringComparison.Ordinal);
        Assert.Contains(result.Evaluated, e => e.Step == "filter"); // a night: its filters are searched (limit 0)
        Assert.NotNull(result.FastActivity);

        // The gain steps still need a night-long span (no normalisation in this card).
        Assert.DoesNotContain(result.Evaluated, e => e.Step == "gain");
        Assert.Contains("the span its sleep scan found holds", Assert.Single(result.Skipped, s => s.Step == "gain").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recording_shorter_than_a_night_or_a_search_without_filters_measures_no_fast_activity()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        SensingResult excerpt = new AdaptiveSensing(model).Search(Condition());
        SensingResult noFilters = new AdaptiveSensing(model, new SensingOptions { NightHours = 0, Filters = [], FastActivityLimit = 0 }).Search(Condition());

        Assert.Null(excerpt.FastActivity);
        Assert.Null(excerpt.FastActivityLimit);
        Assert.Null(noFilters.FastActivity);
        Assert.DoesNotContain(noFilters.Evaluated, e => e.Step == "filter");
    }

    [Fact]
    public void The_two_leads_are_searched_exchanged_only_when_their_spectra_contradict_their_labels()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy labelled = Condition();
        ConditionedStudy swapped = Condition(MontageStudies.Write(Path.Combine(folder, "swapped.edf"), 100, ("EEG Fpz-Cz", "EEG Pz-Oz", 1), ("EEG Pz-Oz", "EEG Fpz-Cz", 1)));

        SensingResult right = new AdaptiveSensing(model).Search(labelled);
        SensingResult wrong = new AdaptiveSensing(model).Search(swapped);
        SensingResult off = new AdaptiveSensing(model, new SensingOptions { CheckMontage = false }).Search(labelled);

        // The sample's frontal lead (Fpz-Cz) carries the larger share of slow activity and the smaller of
        // alpha; written under each other's labels, the check reads the exact mirror.
        MontageCheck check = right.MontageCheck!;
        Assert.True(check.FrontalSlow > check.PosteriorSlow, check.Describe());
        Assert.True(check.PosteriorAlpha > check.FrontalAlpha, check.Describe());
        Assert.True(check.Agrees);
        Assert.True(wrong.MontageCheck!.Contradicts);
        Assert.Equal(-check.Index, wrong.MontageCheck.Index, 4); // the same signals, rewritten at 16 bits

        // Labels that agree: the swap is not tried, and the result says why; without the check it is.
        static bool Exchanged(SensingEvaluation e) => e.Candidate.Slots[0]?.Source.SourceLabel.Trim() == "EEG Pz-Oz" && e.Candidate.Slots[1]?.Source.SourceLabel.Trim() == "EEG Fpz-Cz";
        Assert.DoesNotContain(right.Evaluated, Exchanged);
        SensingSkip skip = Assert.Single(right.Skipped, s => s.Step == "assignment");
        Assert.Equal(["EEG Pz-Oz + EEG Fpz-Cz"], skip.Candidates);
        Assert.Contains("spectra agree with their labels", skip.Reason, StringComparison.Ordinal);
        Assert.Contains(off.Evaluated, Exchanged);
        Assert.Null(off.MontageCheck);
        Assert.DoesNotContain(wrong.Skipped, s => s.Step == "assignment");

        // Labels that contradict: the exchange is kept unless the montage as labelled beats it by the margin.
        // Here neither beats the other by the margin, so the check decides: the exchange with it, the labels without.
        SensingEvaluation exchange = Assert.Single(wrong.Evaluated, Exchanged);
        Assert.InRange(wrong.Evaluated[0].Score.Value - exchange.Score.Value, -0.1, 0.1);
        Assert.True(Exchanged(wrong.Evaluated.Last(e => e.Candidate.SameAs(wrong.Chosen))), wrong.Chosen.Describe());
        SensingResult wrongUnchecked = new AdaptiveSensing(model, new SensingOptions { CheckMontage = false }).Search(swapped);
        Assert.False(Exchanged(wrongUnchecked.Evaluated.Last(e => e.Candidate.SameAs(wrongUnchecked.Chosen))), wrongUnchecked.Chosen.Describe());
    }

    [Fact]
    public void A_study_with_one_eeg_lead_is_not_checked()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy one = Condition(MontageStudies.OneChannel(Path.Combine(folder, "one.edf"), "EEG Fpz-Cz", "EEG Fpz-Cz"));

        Assert.Null(new AdaptiveSensing(model).Search(one).MontageCheck);
    }

    [Fact]
    public void Leaves_a_recorded_derivation_out_only_when_the_montage_scores_above_the_filter_threshold()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy study = Condition();
        var options = new SensingOptions { NightHours = 0, Filters = [], CheckMontage = false };
        double montage = new AdaptiveSensing(model, options with { FilterThreshold = double.NegativeInfinity }).Search(study).Evaluated[0].Score.Value;

        SensingResult above = new AdaptiveSensing(model, options with { FilterThreshold = montage - 1e-6 }).Search(study);
        SensingResult at = new AdaptiveSensing(model, options with { FilterThreshold = montage }).Search(study);

        // Far from the training nights, each derivation alone is a candidate; otherwise only the montage and the swap are.
        Assert.Equal(2, above.Evaluated.Count(e => e.Step == "assignment" && e.Candidate.Slots.Any(d => d is null)));
        Assert.DoesNotContain(above.Skipped, s => s.Step == "assignment");
        Assert.Equal(2, at.Evaluated.Count(e => e.Step == "assignment"));
        Assert.All(at.Evaluated, e => Assert.All(e.Candidate.Slots, d => Assert.NotNull(d)));
        SensingSkip skip = Assert.Single(at.Skipped, s => s.Step == "assignment");
        Assert.Equal(["EEG Fpz-Cz + silent", "silent + EEG Pz-Oz"], skip.Candidates);
        Assert.Contains("keeps every recorded EEG derivation", skip.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Starts_the_gains_at_the_amplitude_estimate_and_reports_it_when_it_is_not_one()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        ConditionedStudy study = Condition();
        IReadOnlyList<double?> night = new AdaptiveSensing(model).NightAmplitudes(study);

        // Trained on nights half as large as this one: the estimate is ×0.5 for both slots.
        var half = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>> { ["EEG Fpz-Cz"] = [night[0]!.Value / 2], ["EEG Pz-Oz"] = [night[1]!.Value / 2] });
        SensingResult result = new AdaptiveSensing(model, new SensingOptions { NightHours = 0, Amplitude = half }).Search(study);

        Assert.Equal([0.5f, 0.5f], result.Evaluated[0].Candidate.Gains);
        // The gain steps are around the estimate (×0.5, ×0.71, ×1.41, ×2 of it, within ×0.35–×2.83), so
        // the recording as it is (×1) is still a candidate.
        Assert.Contains(result.Evaluated, e => e.Step == "gain" && e.Candidate.Gains.SequenceEqual([1f, 1f]));
        Assert.All(result.Evaluated.Take(5).Where(e => e.Step == "gain"), e => Assert.All(e.Candidate.Gains, g => Assert.InRange(g, 0.35f, 1f)));
        Assert.Equal([0.5f, 0.5f], result.Amplitude!.Select(a => a.Gain));
        Assert.Equal(night[0]!.Value, result.Amplitude![0].Night!.Value, 6);
        Assert.Contains("amplitude estimate EEG Fpz-Cz ×0.5", result.Reason, StringComparison.Ordinal);

        // Trained on nights as large as this one: gain 1, nothing reported.
        var same = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>> { ["EEG Fpz-Cz"] = [night[0]!.Value], ["EEG Pz-Oz"] = [night[1]!.Value] });
        SensingResult plain = new AdaptiveSensing(model, new SensingOptions { NightHours = 0, Amplitude = same }).Search(study);
        Assert.Equal([1f, 1f], plain.Evaluated[0].Candidate.Gains);
        Assert.Null(plain.Amplitude);
        Assert.DoesNotContain("amplitude", plain.Reason, StringComparison.Ordinal);

        // One lead out of range alone (the frontal twice as loud as trained, the posterior as trained):
        // more likely a misplaced lead than an amplifier's gain, so no estimate.
        var frontalOnly = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>> { ["EEG Fpz-Cz"] = [night[0]!.Value / 2], ["EEG Pz-Oz"] = [night[1]!.Value] });
        SensingResult inconsistent = new AdaptiveSensing(model, new SensingOptions { NightHours = 0, Amplitude = frontalOnly }).Search(study);
        Assert.Equal([1f, 1f], inconsistent.Evaluated[0].Candidate.Gains);
        Assert.Null(inconsistent.Amplitude);
    }

    [Fact]
    public void A_normalising_model_reads_every_study_at_its_normalised_gains_with_sensing_on_or_off()
    {
        ConditionedStudy study = Condition();
        ConditionedStudy louder;
        string folder = System.IO.Directory.CreateTempSubdirectory("sleepscore-normalising-").FullName;
        try
        {
            using EdfReader reader = EdfReader.Open(MontageStudies.Write(Path.Combine(folder, "x2.edf"), 100, ("EEG Fpz-Cz", "EEG Fpz-Cz", 2), ("EEG Pz-Oz", "EEG Pz-Oz", 2)));
            louder = new StudyConditioner().Condition(reader, eegCandidates: true);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }

        // Independently of the sensing: the lower quartile of each lead's epoch amplitudes over the recording.
        double[] quartile = [.. new[] { "EEG Fpz-Cz", "EEG Pz-Oz" }.Select(name => EpochAmplitude.NightQuantile(study, study.Derivations.First(d => d.Name == name), 0, study.Epochs.Count - 1, 0.25)!.Value)];
        contract.WriteCard(normalisation: new SleepScoring.Model.AmplitudeNormalisation(0.25, [quartile[0] / 2, quartile[1] * 2]));
        using StagingModel model = StagingModel.Load(contract.Directory);
        var sensing = new AdaptiveSensing(model, new SensingOptions { NightHours = 0 });

        // Off: the montage as resolved, at the gains that bring it to the targets (part of the input, not a search).
        SensingResult plain = sensing.Plain(study);
        Assert.False(plain.Adaptive);
        Assert.Equal([0.5f, 2f], plain.Chosen.Gains);
        Assert.Equal([0.5f, 2f], plain.Amplitude!.Select(a => a.Gain));
        Assert.Contains("amplitude normalised", plain.Reason, StringComparison.Ordinal);

        // On: the search starts there, reports it, and steps no gain (a gain on the recording cancels).
        SensingResult searched = sensing.Search(study);
        Assert.Equal([0.5f, 2f], searched.Evaluated[0].Candidate.Gains);
        Assert.Equal([0.5f, 2f], searched.Amplitude!.Select(a => a.Gain));
        Assert.DoesNotContain(searched.Evaluated, e => e.Step.Contains("gain", StringComparison.Ordinal));
        Assert.Contains("normalised per night", Assert.Single(searched.Skipped, s => s.Step == "gain").Reason, StringComparison.Ordinal);

        // Recorded twice as large: half the gains, so the model reads the same signal.
        Assert.Equal([0.25f, 1f], sensing.Plain(louder).Chosen.Gains);

        // The sample is an excerpt (2.1 h, under a night's 4 h): its quartile follows its own stage mix, so it is
        // only brought among the training nights as recorded — ×1 inside their range, the nearest end outside it.
        var inside = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>> { ["EEG Fpz-Cz"] = [quartile[0] / 2, quartile[0] * 2], ["EEG Pz-Oz"] = [quartile[1] / 2, quartile[1] * 2] });
        SensingResult excerpt = new AdaptiveSensing(model, new SensingOptions { Amplitude = inside }).Plain(study);
        Assert.Equal([1f, 1f], excerpt.Chosen.Gains);
        Assert.Contains("shorter than a night, so not normalised", excerpt.Reason, StringComparison.Ordinal);
        var quieter = AmplitudeProfile.FromNights(new Dictionary<string, IReadOnlyList<double>> { ["EEG Fpz-Cz"] = [quartile[0] / 4, quartile[0] / 2], ["EEG Pz-Oz"] = [quartile[1] / 4, quartile[1] / 2] });
        Assert.Equal([0.5f, 0.5f], new AdaptiveSensing(model, new SensingOptions { Amplitude = quieter }).Plain(study).Chosen.Gains);

        // Without a profile (a card without its training amplitudes), an excerpt is normalised like a night.
        Assert.Equal([0.5f, 2f], new AdaptiveSensing(model, new SensingOptions()).Plain(study).Chosen.Gains);
    }

    [Fact]
    public void A_noise_floor_candidate_is_drawn_at_the_gains_its_reduced_copy_needs()
    {
        ConditionedStudy study = Condition();
        double[] quartile = [.. new[] { "EEG Fpz-Cz", "EEG Pz-Oz" }.Select(name => EpochAmplitude.NightQuantile(study, study.Derivations.First(d => d.Name == name), 0, study.Epochs.Count - 1, 0.25)!.Value)];
        contract.WriteCard(normalisation: new SleepScoring.Model.AmplitudeNormalisation(0.25, [quartile[0] / 2, quartile[1] * 2]));
        using StagingModel model = StagingModel.Load(contract.Directory);
        var options = new SensingOptions { NightHours = 0, Filters = [SensingFilter.Parse("ns:15"), SensingFilter.Parse("lp:20")], FastActivityLimit = 0, FilterMargin = 100 };

        SensingResult searched = new AdaptiveSensing(model, options).Search(study);

        // The low-pass keeps the montage's gains; the subtraction's are measured on its own copy (computed here
        // independently: the lower quartile of the reduced leads' epoch amplitudes against the same targets).
        SensingEvaluation[] filters = [.. searched.Evaluated.Where(e => e.Step == "filter")];
        Assert.Equal(["ns:15", "lp:20"], filters.Select(e => e.Candidate.Filter.Spec));
        Assert.Equal([0.5f, 2f], filters[1].Candidate.Gains);
        float[] expected = [.. new[] { "EEG Fpz-Cz", "EEG Pz-Oz" }.Select((name, slot) =>
        {
            ConditionedDerivation lead = study.Derivations.First(d => d.Name == name);
            using var reduced = new MemoryStore<float>(new NoiseFloorSubtraction(15).Apply(lead.Samples.ToArray(), SignalConditioner.ModelRate));
            double amplitude = EpochAmplitude.NightQuantile(study, lead with { Samples = reduced }, 0, study.Epochs.Count - 1, 0.25)!.Value;
            return (float)((slot == 0 ? quartile[0] / 2 : quartile[1] * 2) / amplitude);
        })];
        Assert.True(expected[0] > 0.5f && expected[1] > 2f, "a subtraction lowers the amplitude, so its gains rise");
        Assert.Equal(expected[0], filters[0].Candidate.Gains[0], 0.006f);
        Assert.Equal(expected[1], filters[0].Candidate.Gains[1], 0.006f);
    }

    [Fact]
    public void A_model_conditioned_to_45_hz_is_conditioned_so_and_its_unfiltered_candidates_say_so()
    {
        contract.WriteCard(conditioningLowPass: 45);
        using StagingModel model = StagingModel.Load(contract.Directory);
        using EdfReader reader = EdfReader.Open(MontageStudies.Sample);
        var scorer = new SleepScoring.Inference.Scoring.StudyScorer(model);
        ConditionedStudy at45 = scorer.Condition(reader, new SleepScoring.Inference.Scoring.ScoringRequest());
        ConditionedStudy at35 = Condition();

        // The 45-Hz conditioning keeps 35–45 Hz content the default one removes: the trace differs.
        float[] a = at45.Derivations.First(d => d.Name == "EEG Fpz-Cz").Samples.ToArray(), b = at35.Derivations.First(d => d.Name == "EEG Fpz-Cz").Samples.ToArray();
        Assert.Equal(b.Length, a.Length);
        Assert.Contains(Enumerable.Range(0, a.Length), i => MathF.Abs(a[i] - b[i]) > 0.01f);

        SensingResult plain = new AdaptiveSensing(model).Plain(at45);
        Assert.Equal("0.3–45 Hz", plain.Chosen.Filter.Name);
        Assert.True(plain.Chosen.Filter.IsNone);
        Assert.All(new AdaptiveSensing(model, new SensingOptions { NightHours = 0 }).Search(at45).Evaluated.Where(e => e.Step != "filter"), e => Assert.Equal("0.3–45 Hz", e.Candidate.Filter.Name));
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

    public void Dispose()
    {
        contract.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// Two EEG leads of low seeded noise; in the first and last <paramref name="wakeHours"/> every epoch
    /// opens with a −500 µV pulse of 50 ms, which fills the top row (negative up) of the frontal strip's
    /// first column: the contract encoder's wake score.
    /// </summary>
    private static string WakeAroundSleep(string path, int hours, int wakeHours)
    {
        const int Rate = 100, EpochSamples = 30 * Rate;
        var random = new Random(7);
        int epochs = hours * 120;
        var writer = new EdfWriter { StartTime = new DateTime(2020, 1, 1, 22, 0, 0), RecordDuration = 30 };
        foreach (string label in new[] { "EEG Fpz-Cz", "EEG Pz-Oz" })
        {
            var samples = new float[epochs * EpochSamples];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (float)((random.NextDouble() - 0.5) * 20);
            }

            for (int e = 0; e < epochs; e++)
            {
                if (e < wakeHours * 120 || e >= epochs - (wakeHours * 120))
                {
                    for (int i = 0; i < 5; i++)
                    {
                        samples[(e * EpochSamples) + i] = (float)(-500 * Math.Sin(Math.PI * (i + 0.5) / 5));
                    }
                }
            }

            writer.AddSignal(new EdfSignalSpec(label, -600, 600, EpochSamples) { PhysicalDimension = "uV" }, samples);
        }

        writer.Write(path);
        return path;
    }

    private static ConditionedStudy Condition(string? path = null)
    {
        using EdfReader reader = EdfReader.Open(path ?? MontageStudies.Sample);
        return new StudyConditioner().Condition(reader, eegCandidates: true);
    }
}
