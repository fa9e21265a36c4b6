using System.Security.Cryptography;
using System.Text.Json;

namespace SleepScoring.Model;

/// <summary>
/// A model folder: <c>model-card.json</c> and the files it names, each checked against the card's
/// SHA-256 when read. Training writes folders with <see cref="Write"/>; inference opens them with
/// <see cref="Open"/> and reads the integer graphs with <see cref="ReadVerified"/>.
/// </summary>
public sealed class ModelPackage
{
    /// <summary>The integer-only epoch encoder the service runs.</summary>
    public const string EncoderInteger = "encoder.int.onnx";

    /// <summary>The integer-only inter-epoch transformer the service runs.</summary>
    public const string SequenceInteger = "sequence.int.onnx";

    /// <summary>The float graph of the same encoder weights (for comparison and benchmarks).</summary>
    public const string EncoderFloat = "encoder.float.onnx";

    /// <summary>The float graph of the same inter-epoch weights.</summary>
    public const string SequenceFloat = "sequence.float.onnx";

    private ModelPackage(string directory, ModelCard card)
    {
        Directory = directory;
        Card = card;
    }

    /// <summary>The folder (as given).</summary>
    public string Directory { get; }

    /// <summary>The folder's card, its input already checked.</summary>
    public ModelCard Card { get; }

    /// <summary>Reads the card of the folder <paramref name="directory"/>.</summary>
    /// <exception cref="ModelFileException">The card is missing, unreadable or malformed; the message names the path and field.</exception>
    public static ModelPackage Open(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new ModelPackage(directory, ModelCard.Load(Path.Combine(directory, ModelCard.FileName)));
    }

    /// <summary>The bytes of <paramref name="file"/>, a file the card names, after its SHA-256 matched the card's.</summary>
    /// <exception cref="ModelFileException">The card has no digest for it, it cannot be read, or its digest differs.</exception>
    public byte[] ReadVerified(string file)
    {
        string path = Path.Combine(Directory, file);
        if (!Card.Files.Sha256.TryGetValue(file, out string? expected))
        {
            throw new ModelFileException($"model card: no sha256 for '{file}'.");
        }

        byte[] bytes = ReadFile(path);
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFileException($"{path}: SHA-256 {actual} differs from the model card's {expected}; the file is not the model the card describes.");
        }

        return bytes;
    }

    /// <summary>The bytes of a model file, with a clear error naming the path.</summary>
    /// <exception cref="ModelFileException">The file is missing or unreadable.</exception>
    public static byte[] ReadFile(string path)
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

    /// <summary>
    /// Writes a complete model folder: every file of <paramref name="files"/> and a card that names
    /// the integer graphs the service runs (<see cref="EncoderInteger"/>, <see cref="SequenceInteger"/>)
    /// and holds the SHA-256 of every file written. Returns the card.
    /// </summary>
    public static ModelCard Write(string directory, ModelCard identity, IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(files);
        foreach (string required in new[] { identity.Files.Encoder, identity.Files.Sequence })
        {
            if (!files.ContainsKey(required))
            {
                throw new ArgumentException($"The model folder needs '{required}', which the card names.", nameof(files));
            }
        }

        System.IO.Directory.CreateDirectory(directory);
        foreach ((string name, byte[] bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }

        ModelCard card = identity with
        {
            Files = identity.Files with { Sha256 = files.ToDictionary(f => f.Key, f => Convert.ToHexStringLower(SHA256.HashData(f.Value)), StringComparer.Ordinal) },
        };
        card.Save(Path.Combine(directory, ModelCard.FileName));
        return card;
    }

    /// <summary>Adds or replaces one details section of the card in <paramref name="directory"/> (metrics, latency); the model files and their digests stay as they are.</summary>
    public static void SetDetail(string directory, string section, object? value)
    {
        string path = Path.Combine(directory, ModelCard.FileName);
        ModelCard.Load(path).WithDetail(section, value).Save(path);
    }

    /// <summary>A details section of the card, or null when absent.</summary>
    public JsonElement? Detail(string section) =>
        Card.Details is { } details && details.TryGetValue(section, out JsonElement value) ? value : null;
}
