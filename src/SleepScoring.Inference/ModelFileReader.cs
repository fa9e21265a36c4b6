namespace SleepScoring.Inference;

/// <summary>Reads model files with a clear error naming the path.</summary>
internal static class ModelFileReader
{
    public static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"Model file '{path}' cannot be read: {e.Message}", e);
        }
    }
}
