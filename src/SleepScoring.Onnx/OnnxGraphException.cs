namespace SleepScoring.Onnx;

/// <summary>A model file or graph that cannot be used: names the node, value or field at fault.</summary>
public sealed class OnnxGraphException : Exception
{
    public OnnxGraphException(string message)
        : base(message)
    {
    }

    public OnnxGraphException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnnxGraphException()
    {
    }
}
