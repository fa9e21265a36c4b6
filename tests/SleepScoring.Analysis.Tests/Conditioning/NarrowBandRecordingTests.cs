using SleepScoring.Analysis.Conditioning;
using SleepScoring.Edf;
using SleepScoring.Tests.Support;

namespace SleepScoring.Analysis.Tests.Conditioning;

public sealed class NarrowBandRecordingTests : IDisposable
{
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
        string filtered = MontageStudies.Prefiltered(Path.Combine(folder, "filtered.edf"), "HP:0.3Hz LP:35Hz");

        Assert.Contains("sampled at 50 Hz", Reason(slow, 45), StringComparison.Ordinal);
        Assert.Contains("35-Hz low-pass", Reason(filtered, 45), StringComparison.Ordinal);
        Assert.Null(Reason(filtered, 35)); // the band a 35-Hz model reads is all there
        Assert.Null(Reason(MontageStudies.Sample, 45)); // 100 Hz, "LP:100Hz"
    }

    [Fact]
    public void A_model_with_a_narrow_band_reads_a_study_lacking_its_band_there_and_one_without_at_its_full_band()
    {
        string slow = MontageStudies.Write(Path.Combine(folder, "slow.edf"), 50, ("EEG Fpz-Cz", "EEG Fpz-Cz", 1), ("EEG Pz-Oz", "EEG Pz-Oz", 1));
        using EdfReader reader = EdfReader.Open(slow);
        using EdfReader sample = EdfReader.Open(MontageStudies.Sample);

        (double edge, string why) = NarrowBandRecording.Presentation(reader, null, 45, 25)!.Value;
        Assert.Equal(25, edge);
        Assert.Contains("sampled at 50 Hz", why, StringComparison.Ordinal);
        Assert.Null(NarrowBandRecording.Presentation(reader, null, 45, null)); // no narrow band on the card
        Assert.Null(NarrowBandRecording.Presentation(sample, null, 45, 25)); // the full band is there
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string? Reason(string path, double fullBand)
    {
        using EdfReader reader = EdfReader.Open(path);
        return NarrowBandRecording.Reason(reader, StudyConditioner.ResolveMontage(reader), fullBand);
    }
}
