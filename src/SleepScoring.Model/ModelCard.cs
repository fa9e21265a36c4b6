using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepScoring.Model;

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

    /// <summary>
    /// Options of every JSON file of a model folder and of the training and evaluation reports:
    /// snake_case keys, indented, ± and µ unescaped (files, never HTML).
    /// </summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>What the model reads: its image, drawn as training drew it.</summary>
    public required ModelImageSpec Input { get; init; }

    public required ModelFiles Files { get; init; }

    /// <summary>Epochs below this confidence go to the review queue (chosen from the calibration curve).</summary>
    public required double ReviewThreshold { get; init; }

    /// <summary>Everything else in the card (metrics, data, speed), preserved.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Details { get; init; }

    /// <summary>Reads a card and checks its input; a missing or malformed card names the path and the field.</summary>
    public static ModelCard Load(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            ModelCard card = JsonSerializer.Deserialize<ModelCard>(stream, Json)
                ?? throw new ModelFileException($"{path}: the model card is empty.");
            if (card.Input is null || card.Files is null)
            {
                throw new ModelFileException($"{path}: the model card has no {(card.Input is null ? "input" : "files")} section.");
            }

            card.Input.Validate();
            return card;
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

    /// <summary>This card with <paramref name="section"/> of its details set to <paramref name="value"/> (serialized with <see cref="Json"/>).</summary>
    public ModelCard WithDetail(string section, object? value) => this with
    {
        Details = new Dictionary<string, JsonElement>(Details ?? [], StringComparer.Ordinal)
        {
            [section] = JsonSerializer.SerializeToElement(value, Json),
        },
    };
}
