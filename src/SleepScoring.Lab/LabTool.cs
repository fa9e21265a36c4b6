using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Staging;
using SleepScoring.CommandLine;
using SleepScoring.Edf;
using SleepScoring.Lab.Bench;
using SleepScoring.Lab.Verbs;
using SleepScoring.Model;

namespace SleepScoring.Lab;

/// <summary><c>sleepscore-lab</c>: the model's laboratory, one line per verb.</summary>
internal static class LabTool
{
    public static VerbDispatcher Dispatcher { get; } = new("sleepscore-lab",
    [
        new SynthesizeVerb(),
        new TrainVerb(),
        new EvaluateVerb(),
        new ExportVerb(),
        new CompressVerb(),
        new CardVerb(),
        new AdaptVerb(),
        new BaselineVerb(),
        new BenchEdfVerb(),
        new BenchSynthesizeVerb(),
        new BenchConditionVerb(),
        new BenchRenderVerb(),
        new BenchModelVerb(),
        new BenchScoreVerb(),
        new BenchApiVerb(),
        new BenchSitesVerb(),
    ], IsInputError);

    /// <summary>Errors a user's data, study or model folder causes: one line, exit code 2 (TrainingDataException is an IOException).</summary>
    private static bool IsInputError(Exception e) => e is EdfFormatException or IOException or UnauthorizedAccessException or FormatException
        or MontageException or StudyDurationException or HypnogramFormatException or ModelFileException;
}
