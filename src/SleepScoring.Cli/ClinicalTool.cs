using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Cli.Verbs;
using SleepScoring.CommandLine;
using SleepScoring.Edf;
using SleepScoring.Model;

namespace SleepScoring.Cli;

/// <summary><c>sleepscore</c>: the verbs a clinic runs, and which errors are the user's input (exit 2).</summary>
internal static class ClinicalTool
{
    public static VerbDispatcher Dispatcher { get; } = new("sleepscore", [new InspectVerb(), new ScoreVerb()], IsInputError);

    /// <summary>Errors a user's file or model folder causes: one line, exit code 2.</summary>
    private static bool IsInputError(Exception e) => e is EdfFormatException or IOException or UnauthorizedAccessException
        or MontageException or StudyDurationException or ModelFileException;
}
