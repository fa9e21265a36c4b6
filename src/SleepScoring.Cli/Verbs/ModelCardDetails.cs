using System.Text.Json;

using SleepScoring.Inference.Model;
using SleepScoring.Training.Training;

namespace SleepScoring.Cli.Verbs;

/// <summary>Adds or replaces one section of a model folder's card (metrics, latency); the model files and their digests stay as they are.</summary>
internal static class ModelCardDetails
{
    public static void Set(string directory, string section, object value)
    {
        string path = Path.Combine(directory, ModelCard.FileName);
        ModelCard card = ModelCard.Load(path);
        var details = new Dictionary<string, JsonElement>(card.Details ?? [], StringComparer.Ordinal)
        {
            [section] = JsonSerializer.SerializeToElement(value, FloatModelDirectory.Json),
        };
        (card with { Details = details }).Save(path);
    }
}
