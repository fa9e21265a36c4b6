using SleepScoring.Analysis.Staging;

namespace SleepScoring.Analysis.Tests.Staging;

/// <summary>
/// Bad input never escapes as an untyped exception: seeded random mutations of valid files either
/// read or throw <see cref="HypnogramFormatException"/>.
/// </summary>
public class ReaderRobustnessTests
{
    private const string Csv = "Onset,Duration,Annotation\n0,60,Sleep stage W\n33.4,,Lights off\n60,90,Sleep stage N2\n150,30,Sleep stage R\n";
    private const string StageList = "# 1 value per 30 s\n0\n0\n1\n2\n-2\nN3\nR\n";
    private const string Slpdb = "record,epoch,stage\nslp01a,0,W\nslp01a,1,N1\nslp02,4,MT\n";

    [Fact]
    public void Readers_RandomMutations_FailOnlyWithHypnogramFormatException()
    {
        var random = new Random(20240301);
        const string alphabet = "0123456789.,;-+eE\n\r\t #?WNRSAMTUn\"\u0000\u00FF";
        foreach ((string seed, Action<string> read) in new (string, Action<string>)[]
        {
            (Csv, t => HypnogramCsv.Read(new StringReader(t))),
            (StageList, t => StageListText.Read(new StringReader(t))),
            (Slpdb, t => SlpdbStagesCsv.Read(new StringReader(t))),
        })
        {
            for (int trial = 0; trial < 500; trial++)
            {
                char[] text = seed.ToCharArray();
                for (int k = random.Next(1, 6); k > 0; k--)
                {
                    text[random.Next(text.Length)] = alphabet[random.Next(alphabet.Length)];
                }

                string mutated = new(text);
                Exception? error = Record.Exception(() => read(mutated));
                Assert.True(error is null or HypnogramFormatException, $"{error?.GetType().Name}: {error?.Message} for input {mutated}");
            }
        }
    }
}
