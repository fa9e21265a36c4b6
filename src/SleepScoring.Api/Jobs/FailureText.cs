using System.Data.Common;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Edf;

namespace SleepScoring.Api.Jobs;

/// <summary>
/// What a failed job tells its caller (the study's error, the job table, the callback body): why,
/// in words, without file text (an annotation or identification field may name the patient) and
/// without server paths. Errors of the study say what is wrong with it (the EDF field and offset,
/// the montage's labels, the duration); the service's own faults only say their kind; the full
/// exception goes to the log, which has no patient fields either.
/// </summary>
internal static class FailureText
{
    public static string Of(Exception e, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(e);
        string text = e switch
        {
            EdfFormatException f => f.MessageWithoutValue,
            MontageException or StudyDurationException => e.Message, // signal labels and durations: what the uploader must fix
            ArgumentException or InvalidOperationException => e.Message, // the scorer's own checks (lights period, derivations)
            IOException or UnauthorizedAccessException => $"storage error ({e.GetType().Name}) while reading or writing the study's files",
            DbException => "database error while recording the study",
            OutOfMemoryException => "the service ran out of memory while scoring",
            _ => $"internal error ({e.GetType().Name})",
        };

        // The last line of defence for paths: none of the service's own folders is ever shown.
        return string.IsNullOrEmpty(dataRoot) ? text : text.Replace(dataRoot, "<data folder>", StringComparison.Ordinal);
    }
}
