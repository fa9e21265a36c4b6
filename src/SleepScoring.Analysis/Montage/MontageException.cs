namespace SleepScoring.Analysis.Montage;

/// <summary>
/// A study whose signals cannot give the model's required derivations, or an explicit mapping
/// that names a signal or derivation that does not exist. The message lists the labels found and
/// the names accepted.
/// </summary>
public sealed class MontageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MontageException(string message, IReadOnlyList<string> labelsFound, IReadOnlyList<string> namesAccepted)
        : base(message)
    {
        LabelsFound = labelsFound;
        NamesAccepted = namesAccepted;
    }

    /// <summary>Creates the exception (exception pattern).</summary>
    public MontageException()
        : this("The study's signals do not give the model's derivations.", [], [])
    {
    }

    /// <summary>Creates the exception (exception pattern).</summary>
    public MontageException(string message)
        : this(message, [], [])
    {
    }

    /// <summary>Creates the exception (exception pattern).</summary>
    public MontageException(string message, Exception innerException)
        : base(message, innerException)
    {
        LabelsFound = [];
        NamesAccepted = [];
    }

    /// <summary>The study's signal labels with their sampling rates, as found.</summary>
    public IReadOnlyList<string> LabelsFound { get; }

    /// <summary>The labels that would have been accepted.</summary>
    public IReadOnlyList<string> NamesAccepted { get; }
}
