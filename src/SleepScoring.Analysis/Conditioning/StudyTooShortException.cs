namespace SleepScoring.Analysis.Conditioning;

/// <summary>A study holds less than one 30-s epoch of signal: there is nothing to score.</summary>
public sealed class StudyTooShortException : StudyDurationException
{
    /// <summary>Creates the exception for a recording of <paramref name="durationSeconds"/> seconds.</summary>
    public StudyTooShortException(double durationSeconds)
        : base(durationSeconds)
    {
    }

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
}
