using System.Text.Json;

using SleepScoring.Model;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Tests.Sensing;

/// <summary>A two-derivation model card holding one details section (or none), for the card readers' tests.</summary>
internal static class CardWithSection
{
    /// <summary>The card with <paramref name="value"/> (snake_case) as section <paramref name="name"/>; no details when null.</summary>
    public static ModelCard Of(string name, object? value) => new()
    {
        Name = "test",
        Version = "0",
        Input = new ModelImageSpec { Derivations = ["EEG Fpz-Cz", "EEG Pz-Oz"], Layout = "small", Width = 300, StripHeight = 32, MicrovoltsPerHalfStrip = 100, DrawingMode = TraceDrawingMode.Envelope, Segments = 15 },
        Files = new ModelFiles { Encoder = "e", Sequence = "s", Sha256 = new Dictionary<string, string>() },
        ReviewThreshold = 0.5,
        Details = value is null ? [] : new Dictionary<string, JsonElement> { [name] = JsonSerializer.SerializeToElement(value, ModelCard.Json) },
    };
}
