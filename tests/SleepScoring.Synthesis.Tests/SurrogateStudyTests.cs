using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Edf;
using SleepScoring.Synthesis;
using SleepScoring.Tests.Common;

namespace SleepScoring.Synthesis.Tests;

public sealed class SurrogateStudyTests
{
    [SkippableFact]
    public void TruncatedTable_EpochsBeyondItAreUnscoredFiller()
    {
        // SC4011E0.csv stops at epoch 950 (the data README: the source was truncated); its rows
        // 930–950 are all N2 (`awk -F, '$1>=930' SC4011E0.csv`), while the real hypnogram goes on.
        string features = SharedData.Require("sleep-edf-features/SC4011E0.csv");
        string hypnogram = SharedData.Require("sleep-edf-features/hypnograms/SC4011EH-Hypnogram.edf");
        string dir = Directory.CreateTempSubdirectory("sleepscoring-study-").FullName;
        try
        {
            SurrogateStudyFiles files = SurrogateStudy.Generate(new SurrogateStudyRequest(features, hypnogram, dir, Seed: 3, StartEpoch: 930, EpochCount: 40));

            Assert.Equal(Path.Combine(dir, "SC4011E0-PSG.edf"), files.PsgPath);
            Assert.Equal(Path.Combine(dir, "SC4011EH-Hypnogram.edf"), files.HypnogramPath);
            Hypnogram written = HypnogramEdf.Read(files.HypnogramPath).Hypnogram;
            Assert.Equal([.. Enumerable.Repeat(SleepStage.N2, 21), .. Enumerable.Repeat(SleepStage.Unscored, 19)], written.Stages);
            Assert.Equal(21, files.ScoredEpochs);

            using EdfReader psg = EdfReader.Open(files.PsgPath);
            Assert.Equal(40, psg.Header.RecordCount);
            Assert.Equal(30, psg.Header.RecordDuration);
            Assert.Equal(EdfFileType.EdfPlusC, psg.Header.FileType);
            Assert.Equal(
                ["EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal", "Resp oro-nasal", "EMG submental", "Temp rectal", "Event marker"],
                psg.Signals.Where(s => !s.IsAnnotation).Select(s => s.Label));
            Assert.Equal(written.StartTime, psg.Header.StartTime);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void CropOutsideTheNight_IsATypedError()
    {
        string features = SharedData.Require("sleep-edf-features/SC4011E0.csv");
        string hypnogram = SharedData.Require("sleep-edf-features/hypnograms/SC4011EH-Hypnogram.edf");
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            SurrogateStudy.Generate(new SurrogateStudyRequest(features, hypnogram, Path.GetTempPath(), StartEpoch: 1_000_000, EpochCount: 5)));
        Assert.Contains("start epoch 1000000", e.Message, StringComparison.Ordinal);
    }
}
