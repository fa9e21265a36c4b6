using System.Data.Common;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Api.Domain;
using SleepScoring.Edf;

namespace SleepScoring.Api.Jobs;

/// <summary>
/// Why a scoring run failed, decided once from its exception: the stable <see cref="StudyFailureCode"/>,
/// whether trying again can help, and what the caller is told (the study's error, the job table, the
/// callback body). The text has no file content (an annotation or identification field may name the
/// patient) and no server path. Errors of the study say what is wrong with it (the EDF field and offset,
/// the montage's labels, the duration, the lights period); the service's own faults only say their kind,
/// and the full exception goes to the log, which has no patient fields either. Only the typed errors of
/// the study are permanent: a plain <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/>
/// is a fault of the code, <see cref="StudyFailureCode.Internal"/>, and is retried like any other.
/// </summary>
/// <param name="Code">One of <see cref="StudyFailureCode"/>.</param>
/// <param name="Permanent">True when the study itself is wrong: failed at once, never retried.</param>
/// <param name="Detail">The caller's text.</param>
internal sealed record StudyFailure(string Code, bool Permanent, string Detail)
{
    public static StudyFailure Of(Exception e, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(e);
        StudyFailure failure = e switch
        {
            EdfFormatException f => new(StudyFailureCode.EdfFormat, true, f.MessageWithoutValue),
            MontageException => new(StudyFailureCode.Montage, true, e.Message), // signal labels: what the uploader must fix
            StudyDurationException => new(StudyFailureCode.Duration, true, e.Message),
            ScoringInputException => new(StudyFailureCode.ScoringInput, true, e.Message), // names the field and its value
            IOException or UnauthorizedAccessException => new(StudyFailureCode.Storage, false, "storage error while reading or writing the study's files"),
            DbException => new(StudyFailureCode.Database, false, "database error while recording the study"),
            OutOfMemoryException => new(StudyFailureCode.OutOfMemory, false, "the service ran out of memory while scoring"),
            _ => new(StudyFailureCode.Internal, false, "internal error of the service"),
        };

        // The last line of defence for paths: none of the service's own folders is ever shown.
        return string.IsNullOrEmpty(dataRoot) ? failure : failure with { Detail = failure.Detail.Replace(dataRoot, "<data folder>", StringComparison.Ordinal) };
    }
}
