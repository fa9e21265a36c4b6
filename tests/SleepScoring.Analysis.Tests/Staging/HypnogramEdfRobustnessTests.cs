using SleepScoring.Analysis.Staging;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Staging;

public class HypnogramEdfRobustnessTests
{
    [SkippableFact]
    public void Read_RandomByteMutationsOfARealHypnogram_FailOnlyWithHypnogramFormatException()
    {
        byte[] original = File.ReadAllBytes(SharedData.Require("sleep-edf-features/hypnograms/SC4001EC-Hypnogram.edf"));
        var random = new Random(1989);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int k = random.Next(1, 5); k > 0; k--)
            {
                // Half the hits land in the header (256 + 256 bytes), half in the TALs.
                int at = random.Next(2) == 0 ? random.Next(512) : random.Next(512, bytes.Length);
                bytes[at] = (byte)random.Next(256);
            }

            Exception? error = Record.Exception(() => HypnogramEdf.Read(new MemoryStream(bytes)));
            Assert.True(error is null or HypnogramFormatException, $"trial {trial}: {error?.GetType().Name}: {error?.Message}");
        }
    }
}
