namespace SleepScoring.Synthesis;

/// <summary>A feature table (CSV) is malformed; the message names the line and column.</summary>
public sealed class FeatureTableException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public FeatureTableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FeatureTableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public FeatureTableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
