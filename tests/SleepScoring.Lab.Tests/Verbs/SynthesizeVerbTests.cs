using System.Security.Cryptography;

using SleepScoring.CommandLine;
using SleepScoring.Tests.Common;

namespace SleepScoring.Lab.Tests.Verbs;

public sealed class SynthesizeVerbTests
{
    [Fact]
    public void MissingOption_IsAUsageError_NamingIt()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = LabTool.Dispatcher.Run(["synthesize", "--features", "x.csv", "--out", "o"], output, error);
        Assert.Equal(VerbDispatcher.UsageError, code);
        Assert.Contains("'--hypnogram' is required", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableFeatureTable_IsAnInputError()
    {
        string dir = Directory.CreateTempSubdirectory("sleepscore-synth-").FullName;
        try
        {
            string csv = Path.Combine(dir, "bad.csv");
            File.WriteAllText(csv, "epoch,stage\n");
            var error = new StringWriter();
            int code = LabTool.Dispatcher.Run(["synthesize", "--features", csv, "--hypnogram", Path.Combine(dir, "h.edf"), "--out", dir], new StringWriter(), error);
            Assert.Equal(VerbDispatcher.InputError, code);
            Assert.Contains("fpz_cz_psd_delta_", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void SampleDataCommand_ReproducesTheCommittedFilesByteForByte()
    {
        // The command documented in sample-data/README.md.
        string features = SharedData.Require("sleep-edf-features/SC4001E0.csv");
        string hypnogram = SharedData.Require("sleep-edf-features/hypnograms/SC4001EC-Hypnogram.edf");
        string dir = Directory.CreateTempSubdirectory("sleepscore-synth-").FullName;
        try
        {
            int code = LabTool.Dispatcher.Run(
                ["synthesize", "--features", features, "--hypnogram", hypnogram, "--out", dir, "--seed", "1", "--start-epoch", "961", "--epochs", "255"],
                new StringWriter(),
                new StringWriter());
            Assert.Equal(VerbDispatcher.Success, code);
            foreach (string name in new[] { "SC4001E0-PSG.edf", "SC4001EC-Hypnogram.edf" })
            {
                byte[] committed = File.ReadAllBytes(Path.Combine(SharedData.RepositoryRoot, "sample-data", name));
                Assert.Equal(SHA256.HashData(committed), SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, name))));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
