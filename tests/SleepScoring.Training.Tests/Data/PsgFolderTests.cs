using SleepScoring.Tests.Common;
using SleepScoring.Training.Data;

namespace SleepScoring.Training.Tests.Data;

public sealed class PsgFolderTests
{
    [Fact]
    public void SampleData_PairsThePsgWithItsHypnogram()
    {
        string folder = Path.Combine(SharedData.RepositoryRoot, "sample-data");
        var warnings = new List<string>();
        IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(folder, warnings);

        PsgPair pair = Assert.Single(pairs);
        Assert.Empty(warnings);
        // SC4001E0: SC4 (cassette study) + subject "00" + night "1" + recording letter "E".
        Assert.Equal("SC4001E", pair.Name);
        Assert.Equal("00", pair.SubjectId);
        Assert.Equal(1, pair.NightId);
        Assert.Equal("SC4001E0-PSG.edf", Path.GetFileName(pair.PsgPath));
        Assert.Equal("SC4001EC-Hypnogram.edf", Path.GetFileName(pair.HypnogramPath));
    }

    [Fact]
    public void UnpairedAndMisnamedFiles_AreWarnings_AndPairsAreSortedByName()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-pairs-").FullName;
        try
        {
            foreach (string name in new[] { "SC4122E0-PSG.edf", "SC4121EV-Hypnogram.edf", "SC4011E0-PSG.edf", "SC4011EH-Hypnogram.edf", "SC4031E0-PSG.edf", "SC4042EC-Hypnogram.edf", "X-PSG.edf", "notes.txt" })
            {
                File.WriteAllText(Path.Combine(folder, name), "");
            }

            var warnings = new List<string>();
            IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(folder, warnings);

            // SC4011E/SC4011E pair, subject 01 night 1; SC4122E0 ↔ SC4121EV do not (night 2 vs 1).
            Assert.Equal(["SC4011E"], pairs.Select(p => p.Name));
            Assert.Equal(("01", 1), (pairs[0].SubjectId, pairs[0].NightId));
            Assert.Equal(5, warnings.Count); // X-PSG.edf, SC4031E0 and SC4122E0 without hypnogram, SC4042EC and SC4121EV without PSG
            Assert.Contains(warnings, w => w.StartsWith("X-PSG.edf: not named like Sleep-EDF", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.StartsWith("SC4122E0-PSG.edf: no matching", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.StartsWith("SC4042EC-Hypnogram.edf: no matching", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MissingFolderOrNoPair_IsATrainingDataException_NamingTheFolder()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-nopairs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "SC4001E0-PSG.edf"), "");
            var warnings = new List<string>();
            var none = Assert.Throws<TrainingDataException>(() => PsgFolder.FindPairs(folder, warnings));
            Assert.Contains(folder, none.Message, StringComparison.Ordinal);
            Assert.Single(warnings);

            string missing = Path.Combine(folder, "absent");
            var absent = Assert.Throws<TrainingDataException>(() => PsgFolder.FindPairs(missing, warnings));
            Assert.Contains("does not exist", absent.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
