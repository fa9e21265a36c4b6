namespace SleepScoring.Analysis;

/// <summary>
/// A value a study's request or file gives the scorer cannot be used (a lights period that is not
/// within the recording, or off not before on). The message names the field and the value. Its own
/// type so that a caller can tell the uploader's mistake from a plain <see cref="ArgumentException"/>,
/// which stays a fault of the code; it derives from it so that callers that catch argument errors
/// (the command line, annotation fallbacks) keep treating it as one.
/// </summary>
public sealed class ScoringInputException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="paramName"/>.</summary>
    public ScoringInputException(string message, string? paramName)
        : base(message, paramName)
    {
    }

    /// <summary>Creates the exception (exception pattern).</summary>
    public ScoringInputException()
    {
    }

    /// <summary>Creates the exception (exception pattern).</summary>
    public ScoringInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception (exception pattern).</summary>
    public ScoringInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
