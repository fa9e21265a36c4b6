namespace SleepScoring.Model;

/// <summary>A model file that is missing, unreadable or not the graph this version expects.</summary>
public sealed class ModelFileException : Exception
{
    public ModelFileException(string message)
        : base(message)
    {
    }

    public ModelFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelFileException()
    {
    }
}
