using System.Diagnostics;
using System.Globalization;

using SleepScoring.Analysis.Staging;
using SleepScoring.CommandLine;
using SleepScoring.Synthesis;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>sleepscore-lab synthesize</c>: a surrogate PSG (EDF+C, Sleep-EDF layout) and hypnogram (EDF+)
/// from a night's real feature table and real hypnogram; see <see cref="SurrogateStudy"/>.
/// </summary>
internal sealed class SynthesizeVerb : IVerb
{
    public string Name => "synthesize";

    public string Arguments => "--features <night.csv> --hypnogram <hypnogram.edf> --out <dir> [--seed N] [--start-epoch N] [--epochs N]";

    public string Summary => "make a surrogate PSG + hypnogram (EDF) from a night's real features and hypnogram";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--features", "--hypnogram", "--out", "--seed", "--start-epoch", "--epochs"], []);
        var request = new SurrogateStudyRequest(
            options.Required("--features"),
            options.Required("--hypnogram"),
            options.Required("--out"),
            options.UnsignedOr("--seed", 1),
            (int)Math.Min(options.UnsignedOr("--start-epoch", 0), int.MaxValue),
            options.Optional("--epochs") is null ? null : options.PositiveOr("--epochs", 1));

        Stopwatch clock = Stopwatch.StartNew();
        SurrogateStudyFiles files;
        try
        {
            files = SurrogateStudy.Generate(request);
        }
        catch (Exception e) when (e is FeatureTableException or HypnogramFormatException)
        {
            throw new IOException(e.Message, e); // the dispatcher reports IO errors as unreadable input (exit 2)
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        output.WriteLine(files.PsgPath);
        output.WriteLine(files.HypnogramPath);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.EpochCount} epochs ({files.ScoredEpochs} scored, {files.EpochCount - files.ScoredEpochs} unscored filler), seed {request.Seed}, {clock.Elapsed.TotalSeconds:F1} s"));
        return VerbDispatcher.Success;
    }
}
