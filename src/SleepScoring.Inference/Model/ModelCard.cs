using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepScoring.Inference.Model;

/// <summary>What the model reads: its image geometry and the derivations of its bands, top to bottom.</summary>
public sealed record ModelInput
{
    /// <summary>Derivation names per image band (e.g. <c>EEG Fpz-Cz</c>, <c>EEG Pz-Oz</c>).</summary>
    public required IReadOnlyList<string> Derivations { get; init; }

    /// <summary>Rendering layout name (a <c>EpochImageLayout</c> preset).</summary>
    public required string Layout { get; init; }

    /// <summary>Pixel columns for 30 s.</summary>
    public required int Width { get; init; }

    /// <summary>Pixel rows per derivation band.</summary>
    public required int BandHeight { get; init; }

    /// <summary>µV from a band's centre to its edge.</summary>
    public required float MicrovoltsPerHalfBand { get; init; }

    /// <summary><c>Envelope</c> or <c>Polyline</c>.</summary>
    public required string DrawingMode { get; init; }

    /// <summary>Anti-aliased traces (polyline only). Training and inference must agree, or the pixels differ.</summary>
    public bool Antialias { get; init; }

    /// <summary>
    /// How each derivation is drawn (<c>TraceView</c> names such as <c>raw@100</c>, <c>8-13@10</c>):
    /// one band of <see cref="BandHeight"/> rows per view, a derivation's views together. Empty: the trace alone.
    /// </summary>
    public IReadOnlyList<string?>? Views { get; init; } = [];

    /// <summary>Time segments per band: the columns of the saliency grid (tokens of the ViT).</summary>
    public required int Segments { get; init; }
}

/// <summary>The graph files of the integer model, with their digests.</summary>
public sealed record ModelFiles
{
    /// <summary>File name of the integer epoch encoder, beside the card.</summary>
    public required string Encoder { get; init; }

    /// <summary>File name of the integer inter-epoch transformer, beside the card.</summary>
    public required string Sequence { get; init; }

    /// <summary>SHA-256 (lower-case hex) of each file by name; checked at load.</summary>
    public required IReadOnlyDictionary<string, string> Sha256 { get; init; }
}

/// <summary>
/// <c>models/model-card.json</c>: identity, input contract, files and the decisions the service
/// applies (review threshold). Training writes it; the service and CLI read it and print the version.
/// Fields not known to this version (metrics, training data, speed) are kept as they are.
/// </summary>
public sealed record ModelCard
{
    public const string FileName = "model-card.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required ModelInput Input { get; init; }

    public required ModelFiles Files { get; init; }

    /// <summary>Epochs below this confidence go to the review queue (chosen from the calibration curve).</summary>
    public required double ReviewThreshold { get; init; }

    /// <summary>Everything else in the card (metrics, data, speed), preserved.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Details { get; init; }

    /// <summary>Reads a card; a missing or malformed card names the path and the field.</summary>
    public static ModelCard Load(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ModelCard>(stream, Json)
                ?? throw new ModelFileException($"{path}: the model card is empty.");
        }
        catch (JsonException e)
        {
            throw new ModelFileException($"{path}: not a valid model card ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"{path}: the model card cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Writes the card as indented JSON.</summary>
    public void Save(string path)
    {
        using FileStream stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, Json);
    }
}
