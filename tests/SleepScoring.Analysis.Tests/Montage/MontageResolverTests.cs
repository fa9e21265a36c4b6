using SleepScoring.Analysis.Montage;

namespace SleepScoring.Analysis.Tests.Montage;

public class MontageResolverTests
{
    // The labels, units and rates of Sleep-EDF's SC4001E0 PSG header (read with head/fold from the real crop file).
    private static readonly StudySignal[] SleepEdf =
    [
        new(0, "EEG Fpz-Cz", "uV", 100),
        new(1, "EEG Pz-Oz", "uV", 100),
        new(2, "EOG horizontal", "uV", 100),
        new(3, "Resp oro-nasal", "uV", 1),
        new(4, "EMG submental", "uV", 1),
        new(5, "Temp rectal", "DegC", 1),
        new(6, "Event marker", "", 1),
    ];

    [Fact]
    public void Resolve_SleepEdfLabels_ExactAliases_AndTheOneHertzEmgIsRefused()
    {
        StudyMontage montage = MontageResolver.Resolve(SleepEdf);

        Assert.Equal((0, MatchKind.ExactAlias), (montage.Frontal!.Signal, montage.Frontal!.How));
        Assert.Equal((1, MatchKind.ExactAlias), (montage.Posterior!.Signal, montage.Posterior!.How));
        Assert.Equal(2, montage.For(DerivationRole.Eog)!.Signal);
        Assert.Null(montage.For(DerivationRole.Emg));
        Assert.Contains(montage.Warnings, w => w.Contains("'EMG submental'", StringComparison.Ordinal) && w.Contains("1 Hz", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_ClinicalAasmSet_PrefersF4M1AndO2M1()
    {
        StudySignal[] signals =
        [
            new(0, "EEG C4-M1", "uV", 256), new(1, "EEG O2-M1", "uV", 256), new(2, "EEG F4-M1", "uV", 256),
            new(3, "EEG F3-M2", "uV", 256), new(4, "EOG E1-M2", "uV", 256), new(5, "EMG Chin1-Chin2", "uV", 256),
            new(6, "ECG", "mV", 256),
        ];

        StudyMontage montage = MontageResolver.Resolve(signals);

        Assert.Equal(2, montage.Frontal!.Signal);
        Assert.Equal(1, montage.Posterior!.Signal);
        Assert.Equal(MatchKind.ExactAlias, montage.Frontal!.How); // "EEG " + alias "F4-M1", as written
        Assert.Equal(4, montage.For(DerivationRole.Eog)!.Signal);
        Assert.Equal(5, montage.For(DerivationRole.Emg)!.Signal);
        Assert.Empty(montage.Warnings);
    }

    [Fact]
    public void Resolve_OldA1A2Names_MatchAfterNormalisation()
    {
        StudySignal[] signals = [new(0, "C3-A2", "uV", 200), new(1, "Fp1-A2", "uV", 200), new(2, "ROC-A1", "uV", 200)];

        StudyMontage montage = MontageResolver.Resolve(signals);

        Assert.Equal((1, MatchKind.NormalizedAlias, "Fp1-M2"), (montage.Frontal!.Signal, montage.Frontal!.How, montage.Frontal!.MatchedAlias));
        Assert.Equal((0, "C3-M2"), (montage.Posterior!.Signal, montage.Posterior!.MatchedAlias));
        Assert.Equal("ROC-M1", montage.For(DerivationRole.Eog)!.MatchedAlias);
    }

    [Fact]
    public void Resolve_SingleElectrodesAndMastoids_AreReReferenced()
    {
        StudySignal[] signals =
        [
            new(0, "F4", "uV", 500), new(1, "C4", "uV", 500), new(2, "O2", "uV", 500),
            new(3, "M1", "uV", 500), new(4, "EEG A2-Ref", "mV", 500), new(5, "E1", "uV", 500),
        ];

        StudyMontage montage = MontageResolver.Resolve(signals);

        Assert.Equal((0, 3, MatchKind.ReReferenced, "F4-M1"), (montage.Frontal!.Signal, montage.Frontal!.ReferenceSignal, montage.Frontal!.How, montage.Frontal!.MatchedAlias));
        Assert.Equal((2, 3, "O2-M1"), (montage.Posterior!.Signal, montage.Posterior!.ReferenceSignal, montage.Posterior!.MatchedAlias));
        // E1 against M2 (written "EEG A2-Ref", in mV): its factor to µV is 1000.
        DerivationSource eog = montage.For(DerivationRole.Eog)!;
        Assert.Equal((5, 4, 1.0, 1000.0), (eog.Signal, eog.ReferenceSignal, eog.SignalToMicrovolts, eog.ReferenceToMicrovolts));
        Assert.Equal("EEG Fpz-Cz ← 'F4' − 'M1' (re-referenced as F4-M1, 500 Hz)", montage.Frontal!.ToString());
    }

    [Fact]
    public void Resolve_ReReferencing_NeedsEqualRates()
    {
        StudySignal[] signals = [new(0, "Fz", "uV", 256), new(1, "Cz", "uV", 128), new(2, "Pz-Oz", "uV", 128)];

        StudyMontage montage = MontageResolver.Resolve(signals);

        // Fz at 256 Hz and Cz at 128 Hz cannot be subtracted: no frontal derivation, Pz-Oz alone serves.
        Assert.Null(montage.Frontal);
        Assert.Equal(2, montage.Posterior!.Signal);
        Assert.Single(montage.EegCandidates);
    }

    [Fact]
    public void Resolve_ExplicitMapping_OverridesTheGuess()
    {
        StudySignal[] signals = [new(0, "EEG Fpz-Cz", "uV", 100), new(1, "EEG Pz-Oz", "uV", 100), new(2, "Fz-Cz", "uV", 100)];

        StudyMontage montage = MontageResolver.Resolve(signals, ["Fz-Cz=EEG Fpz-Cz", "EEG Fpz-Cz=posterior"]);

        Assert.Equal((2, MatchKind.Explicit), (montage.Frontal!.Signal, montage.Frontal!.How));
        Assert.Equal((0, MatchKind.Explicit), (montage.Posterior!.Signal, montage.Posterior!.How));
    }

    [Fact]
    public void Resolve_ExplicitMappingOfTwoElectrodes_Subtracts()
    {
        StudySignal[] signals = [new(0, "EEG Fpz-Cz", "uV", 100), new(1, "P4", "uV", 100), new(2, "A1", "uV", 100)];

        StudyMontage montage = MontageResolver.Resolve(signals, ["P4-M1=posterior"]);

        Assert.Equal((1, 2, MatchKind.Explicit), (montage.Posterior!.Signal, montage.Posterior!.ReferenceSignal, montage.Posterior!.How));
    }

    [Theory]
    [InlineData("Fz-Cz", "not of the form FROM=TO")]
    [InlineData("Fz-Cz=EEG Cz-Oz", "'EEG Cz-Oz' is not a model derivation")]
    [InlineData("T3-M2=frontal", "the study has no signal 'T3-M2'")]
    [InlineData("Temp=frontal", "sampled at 1 Hz")]
    public void Resolve_BadExplicitMapping_SaysWhy(string mapping, string expected)
    {
        StudySignal[] signals = [new(0, "EEG Fpz-Cz", "uV", 100), new(1, "EEG Pz-Oz", "uV", 100), new(2, "Temp", "DegC", 1)];

        var error = Assert.Throws<MontageException>(() => MontageResolver.Resolve(signals, [mapping]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoEeg_MessageListsLabelsFoundAndNamesAccepted()
    {
        StudySignal[] signals = [new(0, "ECG", "mV", 256), new(1, "EEG Fpz-Cz", "uV", 1), new(2, "Flow", "", 32)];

        var error = Assert.Throws<MontageException>(() => MontageResolver.Resolve(signals));

        Assert.Contains("'ECG' (256 Hz)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'EEG Fpz-Cz' (1 Hz)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Flow' (32 Hz)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fpz-Cz, F4-M1, F3-M2", error.Message, StringComparison.Ordinal);
        Assert.Contains("50 Hz", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.LabelsFound.Count);
        Assert.Contains("F4-M1", error.NamesAccepted);
    }

    [Fact]
    public void Resolve_UnknownUnit_IsAssumedMicrovoltsWithAWarning()
    {
        StudySignal[] signals = [new(0, "Fpz-Cz", "", 100), new(1, "Pz-Oz", "uV", 100)];

        StudyMontage montage = MontageResolver.Resolve(signals);

        Assert.Equal(1.0, montage.Frontal!.SignalToMicrovolts);
        Assert.Contains(montage.Warnings, w => w.Contains("'Fpz-Cz' has the unit ''", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("EEG C3-M2", ScalpRegion.Central)]
    [InlineData("EEG C4-A1", ScalpRegion.Central)]
    [InlineData("O1-M2", ScalpRegion.Posterior)]
    [InlineData("C3-A1", ScalpRegion.Central)]
    public void Resolve_OneCentralOrOccipitalChannel_FillsThePosteriorSlotAlone(string label, ScalpRegion region)
    {
        StudySignal[] signals = [new(0, label, "uV", 256), new(1, "ECG", "mV", 256), new(2, "SpO2", "%", 1)];

        StudyMontage montage = MontageResolver.Resolve(signals);

        Assert.Null(montage.Frontal);
        Assert.Equal((0, region), (montage.Posterior!.Signal, montage.Posterior.Region));
        Assert.Equal([0], montage.EegCandidates.Select(c => c.Signal));
    }

    [Fact]
    public void Resolve_FrontalChannelAlone_FillsTheFrontalSlot()
    {
        StudyMontage montage = MontageResolver.Resolve([new(0, "EEG Fpz-Cz", "uV", 100), new(1, "EOG horizontal", "uV", 100)]);

        Assert.Equal((0, ScalpRegion.Frontal), (montage.Frontal!.Signal, montage.Frontal.Region));
        Assert.Null(montage.Posterior);
        Assert.Equal(1, montage.For(DerivationRole.Eog)!.Signal);
    }

    [Fact]
    public void Resolve_AasmMontage_ListsEverySixEegDerivationsAsCandidates_RegionsFromTheActiveElectrode()
    {
        StudySignal[] signals =
        [
            new(0, "F4-M1", "uV", 256), new(1, "C4-M1", "uV", 256), new(2, "O2-M1", "uV", 256),
            new(3, "F3-M2", "uV", 256), new(4, "C3-M2", "uV", 256), new(5, "O1-M2", "uV", 256),
            new(6, "E1-M2", "uV", 256), new(7, "E2-M2", "uV", 256), new(8, "Chin1-Chin2", "uV", 256),
        ];

        StudyMontage montage = MontageResolver.Resolve(signals);

        Assert.Equal((0, 2), (montage.Frontal!.Signal, montage.Posterior!.Signal));
        Assert.Equal([0, 3, 2, 5, 1, 4], montage.EegCandidates.Select(c => c.Signal));
        Assert.Equal(
            [ScalpRegion.Frontal, ScalpRegion.Frontal, ScalpRegion.Posterior, ScalpRegion.Posterior, ScalpRegion.Central, ScalpRegion.Central],
            montage.EegCandidates.Select(c => c.Region!.Value));
        Assert.Equal(6, montage.For(DerivationRole.Eog)!.Signal);
        Assert.Equal(8, montage.For(DerivationRole.Emg)!.Signal);
        Assert.False(montage.ExplicitEeg);

        // The chosen sources are the same objects as their candidates (one conditioned copy each).
        Assert.Same(montage.Frontal, montage.EegCandidates[0]);
    }

    [Fact]
    public void Resolve_RawElectrodesAndMastoids_GiveReReferencedCandidatesForEveryRegion()
    {
        StudySignal[] signals = [new(0, "F4", "uV", 200), new(1, "C4", "uV", 200), new(2, "O2", "uV", 200), new(3, "M1", "uV", 200)];

        StudyMontage montage = MontageResolver.Resolve(signals);

        Assert.Equal(
            [("F4-M1", MatchKind.ReReferenced), ("O2-M1", MatchKind.ReReferenced), ("C4-M1", MatchKind.ReReferenced)],
            montage.EegCandidates.Select(c => (c.MatchedAlias, c.How)));
        Assert.All(montage.EegCandidates, c => Assert.Equal(3, c.ReferenceSignal));
    }

    [Fact]
    public void Resolve_ExplicitEegMapping_IsMarked_AndOtherSlotsTakeOnlyTheirOwnAliases()
    {
        StudyMontage montage = MontageResolver.Resolve([new(0, "EEG Fpz-Cz", "uV", 100), new(1, "EEG Pz-Oz", "uV", 100)], ["EEG Pz-Oz=frontal"]);

        Assert.True(montage.ExplicitEeg);
        Assert.Equal(1, montage.Frontal!.Signal);
        Assert.Null(montage.Posterior); // Fpz-Cz is a frontal alias: it does not serve the posterior slot unasked
    }

    [Theory]
    [InlineData("Fpz-Cz", ScalpRegion.Frontal)]
    [InlineData("EEG Fp1-A2", ScalpRegion.Frontal)]
    [InlineData("Cz-Oz", ScalpRegion.Central)]
    [InlineData("P4-M1", ScalpRegion.Posterior)]
    [InlineData("Oz", ScalpRegion.Posterior)]
    [InlineData("T3-M2", ScalpRegion.Central)]
    [InlineData("E1-M2", null)]
    [InlineData("ECG", null)]
    [InlineData("Chin1-Chin2", null)]
    public void RegionOf_ReadsTheActiveElectrode(string label, ScalpRegion? region) =>
        Assert.Equal(region, ModelDerivations.RegionOf(label));
}
