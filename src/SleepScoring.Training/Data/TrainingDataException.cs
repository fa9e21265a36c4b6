namespace SleepScoring.Training.Data;

/// <summary>
/// A training or evaluation folder the user pointed at cannot be used: missing, no PSG/hypnogram
/// pairs, an unreadable file, or too few subjects. An <see cref="IOException"/>, so command-line
/// tools report it as unreadable input; the message names the folder or file.
/// </summary>
public sealed class TrainingDataException : IOException
{
    /// <summary>Creates the exception with a message naming the folder or file.</summary>
    public TrainingDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the reader's error.</summary>
    public TrainingDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public TrainingDataException()
    {
    }
}
