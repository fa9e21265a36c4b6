using System.Security.Cryptography;

using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Model;

/// <summary>
/// The shipped model ready to run: its card, both integer graphs in ONNX Runtime (files checked
/// against the card's SHA-256), and the image renderer its card names. Each graph is loaded into
/// <see cref="InferenceOptions.Workers"/> sessions that a scorer runs side by side on different
/// batches. Sessions are not thread-safe: one scoring at a time per <see cref="StagingModel"/>.
/// </summary>
public sealed class StagingModel : IDisposable
{
    private StagingModel(ModelCard card, EpochImageLayout layout, TraceView[] views, TraceDrawingMode mode, EpochEncoderSession[] encoders, InterEpochSession[] sequences)
    {
        Card = card;
        Layout = layout;
        Views = views;
        CellGeometry = new(card.Input.Derivations.Count, layout.Width, layout.BandHeight * views.Length, layout.MicrovoltsPerHalfBand);
        DrawingMode = mode;
        Encoders = encoders;
        Sequences = sequences;
    }

    public ModelCard Card { get; }

    public EpochImageLayout Layout { get; }

    public TraceDrawingMode DrawingMode { get; }

    /// <summary>The first encoder session (the one to use when running one at a time).</summary>
    public EpochEncoderSession Encoder => Encoders[0];

    /// <summary>The first inter-epoch session.</summary>
    public InterEpochSession Sequence => Sequences[0];

    /// <summary>One encoder session per worker, each for one thread of work at a time.</summary>
    public IReadOnlyList<EpochEncoderSession> Encoders { get; }

    /// <summary>One inter-epoch session per worker.</summary>
    public IReadOnlyList<InterEpochSession> Sequences { get; }

    /// <summary>Loads the model in <paramref name="directory"/> (its <c>model-card.json</c> and the files it names).</summary>
    public static StagingModel Load(string directory, InferenceOptions? options = null)
    {
        ModelCard card = ModelCard.Load(Path.Combine(directory, ModelCard.FileName));
        var layout = new EpochImageLayout(card.Input.Layout, card.Input.Width, card.Input.BandHeight, card.Input.MicrovoltsPerHalfBand);
        if (!Enum.TryParse(card.Input.DrawingMode, ignoreCase: false, out TraceDrawingMode mode))
        {
            throw new ModelFileException($"model card: drawing_mode '{card.Input.DrawingMode}' is not one of {string.Join(", ", Enum.GetNames<TraceDrawingMode>())}.");
        }

        TraceView[] views = ParseViews(card, layout);
        byte[] encoderBytes = ReadVerified(directory, card.Files.Encoder, card);
        byte[] sequenceBytes = ReadVerified(directory, card.Files.Sequence, card);
        int workers = (options ?? new InferenceOptions()).EffectiveWorkers;
        var encoders = new List<EpochEncoderSession>(workers);
        var sequences = new List<InterEpochSession>(workers);
        try
        {
            for (int w = 0; w < workers; w++)
            {
                encoders.Add(EpochEncoderSession.Load(encoderBytes, options, card.Files.Encoder));
                sequences.Add(InterEpochSession.Load(sequenceBytes, options, card.Files.Sequence));
            }

            Check(card, views.Length, encoders[0], sequences[0]);
            return new StagingModel(card, layout, views, mode, [.. encoders], [.. sequences]);
        }
        catch
        {
            encoders.ForEach(e => e.Dispose());
            sequences.ForEach(e => e.Dispose());
            throw;
        }
    }

    /// <summary>A renderer for this model's images (one per thread): one band per derivation and view.</summary>
    public IEpochImageRenderer CreateRenderer() => ModelImageRenderers.Create(Layout, Card.Input.Derivations.Count * Views.Count, DrawingMode, Card.Input.Antialias);

    /// <summary>The renderer's input cutter for this model's views (one per thread).</summary>
    public EpochViews CreateViews() => new(Views, Layout.MicrovoltsPerHalfBand);

    /// <summary>
    /// The model image seen as one band per derivation (its views together), the grid the
    /// saliency cells and the ViT's tokens share.
    /// </summary>
    public EpochGeometry CellGeometry { get; }

    /// <summary>How each derivation is drawn, the trace first.</summary>
    public IReadOnlyList<TraceView> Views { get; }

    public void Dispose()
    {
        foreach (EpochEncoderSession encoder in Encoders)
        {
            encoder.Dispose();
        }

        foreach (InterEpochSession sequence in Sequences)
        {
            sequence.Dispose();
        }
    }

    /// <summary>The card's views, parsed before any session is loaded.</summary>
    /// <exception cref="ModelFileException">The views field is null or holds a malformed name.</exception>
    private static TraceView[] ParseViews(ModelCard card, EpochImageLayout layout)
    {
        if (card.Input.Views is not { } names)
        {
            throw new ModelFileException("model card: input.views is null; expected a list of names such as 'raw@100', '8-13@10' (or no field for the trace alone).");
        }

        try
        {
            return TraceView.ParseAll(names, layout.MicrovoltsPerHalfBand);
        }
        catch (FormatException e)
        {
            throw new ModelFileException($"model card: input.views: {e.Message}", e);
        }
    }

    /// <summary>The graphs fit the card and each other.</summary>
    private static void Check(ModelCard card, int views, EpochEncoderSession encoder, InterEpochSession sequence)
    {
        int bands = card.Input.Derivations.Count;
        if (encoder.ImageHeight != bands * views * card.Input.BandHeight || encoder.ImageWidth != card.Input.Width)
        {
            throw new ModelFileException($"{card.Files.Encoder}: input {encoder.ImageHeight}×{encoder.ImageWidth} does not match the card's {bands} derivation(s) × {views} view(s) × {card.Input.BandHeight} rows × {card.Input.Width} columns.");
        }

        if (encoder.Tokens != 0 && encoder.Tokens != 1 + (bands * card.Input.Segments))
        {
            throw new ModelFileException($"{card.Files.Encoder}: {encoder.Tokens} tokens, expected CLS + {bands} × {card.Input.Segments} segments.");
        }

        if (sequence.EmbeddingSize != encoder.EmbeddingSize)
        {
            throw new ModelFileException($"{card.Files.Sequence}: reads {sequence.EmbeddingSize}-byte embeddings, the encoder writes {encoder.EmbeddingSize}.");
        }
    }

    private static byte[] ReadVerified(string directory, string file, ModelCard card)
    {
        string path = Path.Combine(directory, file);
        byte[] bytes = ModelFileReader.Read(path);
        if (!card.Files.Sha256.TryGetValue(file, out string? expected))
        {
            throw new ModelFileException($"model card: no sha256 for '{file}'.");
        }

        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFileException($"{path}: SHA-256 {actual} differs from the model card's {expected}; the file is not the model the card describes.");
        }

        return bytes;
    }
}
