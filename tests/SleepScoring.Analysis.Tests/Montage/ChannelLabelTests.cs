using SleepScoring.Analysis.Montage;

namespace SleepScoring.Analysis.Tests.Montage;

public class ChannelLabelTests
{
    [Theory]
    [InlineData("EEG Fpz-Cz", "FPZ-CZ")]
    [InlineData("  eeg  fpz - cz ", "FPZ-CZ")]
    [InlineData("EEG C3\u2013A2", "C3-M2")] // en dash, old A2 name
    [InlineData("C4 A1", "C4-M1")]
    [InlineData("EEG C4-Ref", "C4")]
    [InlineData("A1", "M1")]
    [InlineData("C4:A1", "C4-M1")]
    [InlineData("C4 Ref", "C4")]
    [InlineData("EOG ROC-A1", "ROC-M1")]
    [InlineData("EMG chin", "CHIN")]
    [InlineData("Resp oro-nasal", "RESP ORO-NASAL")]
    [InlineData("EEG", "EEG")]
    public void Normalize_Spellings_BecomeOneForm(string label, string expected) =>
        Assert.Equal(expected, ChannelLabel.Normalize(label));

    [Theory]
    [InlineData("uV", 1.0)]
    [InlineData("\u00B5V", 1.0)]
    [InlineData(" mV ", 1000.0)]
    [InlineData("V", 1e6)]
    public void TryGetMicrovoltFactor_VoltageUnits(string unit, double factor)
    {
        Assert.True(PhysicalUnit.TryGetMicrovoltFactor(unit, out double f));
        Assert.Equal(factor, f);
    }

    [Theory]
    [InlineData("")]
    [InlineData("degC")]
    [InlineData(null)]
    public void TryGetMicrovoltFactor_OtherUnits_AreUnknown(string? unit) =>
        Assert.False(PhysicalUnit.TryGetMicrovoltFactor(unit, out _));
}
