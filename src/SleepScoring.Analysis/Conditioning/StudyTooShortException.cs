namespace SleepScoring.Analysis.Conditioning;

/// <summary>A study holds less than one 30-s epoch of signal: there is nothing to score.</summary>
public sealed class StudyTooShortException : Exception
{
    /// <summary>Creates the exception for a recording of <paramref name="durationSeconds"/> seconds.</summary>
    public StudyTooShortException(double durationSeconds)
        : base($"The recording lasts {durationSeconds:0.###} s, less than one 30-s epoch: nothing can be scored.") =>
        DurationSeconds = durationSeconds;

    /// <summary>Creates the exception.</summary>
    public StudyTooShortException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StudyTooShortException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StudyTooShortException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The recording's duration in seconds.</summary>
    public double DurationSeconds { get; }
}
