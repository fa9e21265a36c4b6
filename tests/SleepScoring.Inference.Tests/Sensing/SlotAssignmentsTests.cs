using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Edf;
using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class SlotAssignmentsTests : IDisposable
{
    private static readonly DerivationRole[] Slots = [DerivationRole.FrontalEeg, DerivationRole.PosteriorEeg];
    private readonly string folder = Directory.CreateTempSubdirectory("sleepscoring-assignments-").FullName;

    [Fact]
    public void Two_derivations_try_the_montage_the_swap_and_each_alone()
    {
        IReadOnlyList<ConditionedDerivation?[]> assignments = SlotAssignments.For(Condition(MontageStudies.Sample), Slots);

        Assert.Equal(
            [("EEG Fpz-Cz", "EEG Pz-Oz"), ("EEG Pz-Oz", "EEG Fpz-Cz"), ("EEG Fpz-Cz", "-"), ("-", "EEG Pz-Oz")],
            assignments.Select(Labels));
    }

    [Fact]
    public void An_aasm_montage_adds_the_central_derivation_in_either_slot_and_stops_at_six()
    {
        ConditionedStudy study = Condition(MontageStudies.Aasm(Path.Combine(folder, "aasm.edf"), rate: 128));

        IReadOnlyList<ConditionedDerivation?[]> assignments = SlotAssignments.For(study, Slots);

        Assert.Equal(
            [("F4-M1", "O2-M1"), ("O2-M1", "F4-M1"), ("F4-M1", "-"), ("-", "O2-M1"), ("F4-M1", "C4-M1"), ("C4-M1", "O2-M1")],
            assignments.Select(Labels));
        Assert.Equal(SlotAssignments.MaximumCount, assignments.Count);
    }

    [Fact]
    public void Natural_pairings_keep_each_derivation_in_its_own_slot()
    {
        ConditionedStudy aasm = Condition(MontageStudies.Aasm(Path.Combine(folder, "aasm.edf"), rate: 128));
        ConditionedStudy one = Condition(MontageStudies.OneChannel(Path.Combine(folder, "o1.edf"), "EEG O1-M2", "EEG Pz-Oz"));

        // The conditioner keeps one derivation per scalp region (F4-M1, O2-M1, C4-M1 of the six):
        // frontal slot F4-M1; posterior slot O2-M1 or C4-M1.
        Assert.Equal(
            [("F4-M1", "O2-M1"), ("F4-M1", "C4-M1")],
            SlotAssignments.Natural(aasm, Slots).Select(Labels));
        Assert.Equal([("-", "EEG O1-M2")], SlotAssignments.Natural(one, Slots).Select(Labels));
    }

    [Fact]
    public void Channel_groups_are_the_natural_pairings_then_each_derivation_alone_in_its_own_slot()
    {
        ConditionedStudy sample = Condition(MontageStudies.Sample);
        ConditionedStudy aasm = Condition(MontageStudies.Aasm(Path.Combine(folder, "aasm.edf"), rate: 128));
        ConditionedStudy one = Condition(MontageStudies.OneChannel(Path.Combine(folder, "o1.edf"), "EEG O1-M2", "EEG Pz-Oz"));

        Assert.Equal(
            [("EEG Fpz-Cz", "EEG Pz-Oz"), ("EEG Fpz-Cz", "-"), ("-", "EEG Pz-Oz")],
            SlotAssignments.Groups(sample, Slots).Select(Labels));
        // F4-M1 alone appears once although it is in both pairings.
        Assert.Equal(
            [("F4-M1", "O2-M1"), ("F4-M1", "C4-M1"), ("F4-M1", "-"), ("-", "O2-M1"), ("-", "C4-M1")],
            SlotAssignments.Groups(aasm, Slots).Select(Labels));
        Assert.Equal([("-", "EEG O1-M2")], SlotAssignments.Groups(one, Slots).Select(Labels));
    }

    [Fact]
    public void One_derivation_tries_both_slots()
    {
        ConditionedStudy study = Condition(MontageStudies.OneChannel(Path.Combine(folder, "c3.edf"), "EEG C3-M2", "EEG Fpz-Cz"));

        Assert.Equal([("-", "EEG C3-M2"), ("EEG C3-M2", "-")], SlotAssignments.For(study, Slots).Select(Labels));
    }

    [Fact]
    public void A_lone_derivation_kept_in_its_slot_is_the_only_assignment()
    {
        ConditionedStudy frontal = Condition(MontageStudies.OneChannel(Path.Combine(folder, "fpz.edf"), "EEG Fpz-Cz", "EEG Fpz-Cz"));
        ConditionedStudy posterior = Condition(MontageStudies.OneChannel(Path.Combine(folder, "o1.edf"), "EEG O1-M2", "EEG Pz-Oz"));

        Assert.Equal([("EEG Fpz-Cz", "-")], SlotAssignments.For(frontal, Slots, keepLone: true).Select(Labels));
        Assert.Equal([("-", "EEG O1-M2")], SlotAssignments.For(posterior, Slots, keepLone: true).Select(Labels));
        // Two derivations still try the swap and each alone.
        Assert.Equal(4, SlotAssignments.For(Condition(MontageStudies.Sample), Slots, keepLone: true).Count);
    }

    [Fact]
    public void An_explicit_mapping_is_the_only_assignment()
    {
        using EdfReader reader = EdfReader.Open(MontageStudies.Sample);
        ConditionedStudy study = new StudyConditioner().Condition(reader, ["EEG Pz-Oz=frontal", "EEG Fpz-Cz=posterior"], eegCandidates: true);

        Assert.Equal([("EEG Pz-Oz", "EEG Fpz-Cz")], SlotAssignments.For(study, Slots).Select(Labels));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static ConditionedStudy Condition(string path)
    {
        using EdfReader reader = EdfReader.Open(path);
        return new StudyConditioner().Condition(reader, eegCandidates: true);
    }

    private static (string, string) Labels(ConditionedDerivation?[] a) => (a[0]?.Source.SignalLabel.Trim() ?? "-", a[1]?.Source.SignalLabel.Trim() ?? "-");
}
