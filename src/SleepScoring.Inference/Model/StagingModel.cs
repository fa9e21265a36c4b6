using SleepScoring.Model;
using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Model;

/// <summary>
/// The shipped model ready to run: its card, both integer graphs in ONNX Runtime (files checked
/// against the card's SHA-256 by <see cref="ModelPackage"/>), and the image renderer its card's
/// <see cref="ModelImageSpec"/> describes. Each graph is loaded into
/// <see cref="InferenceOptions.Workers"/> sessions that a scorer runs side by side on different
/// batches. Sessions are not thread-safe: one scoring at a time per <see cref="StagingModel"/>.
/// </summary>
public sealed class StagingModel : IDisposable
{
    private StagingModel(ModelCard card, IReadOnlyList<TraceView> views, EpochEncoderSession[] encoders, InterEpochSession[] sequences)
    {
        Card = card;
        Views = views;
        CellGeometry = card.Input.CellGeometry();
        Encoders = encoders;
        Sequences = sequences;
    }

    public ModelCard Card { get; }

    /// <summary>The model's input image (the card's).</summary>
    public ModelImageSpec Image => Card.Input;

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
        ModelPackage package = ModelPackage.Open(directory);
        ModelCard card = package.Card;
        IReadOnlyList<TraceView> views = card.Input.ParseViews();
        byte[] encoderBytes = package.ReadVerified(card.Files.Encoder);
        byte[] sequenceBytes = package.ReadVerified(card.Files.Sequence);
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

            Check(card, encoders[0], sequences[0]);
            return new StagingModel(card, views, [.. encoders], [.. sequences]);
        }
        catch
        {
            encoders.ForEach(e => e.Dispose());
            sequences.ForEach(e => e.Dispose());
            throw;
        }
    }

    /// <summary>A renderer for this model's images (one per thread): one strip per derivation and view.</summary>
    public IEpochImageRenderer CreateRenderer() => Image.CreateRenderer();

    /// <summary>The renderer's input cutter for this model's views (one per thread); with <paramref name="bandEdge"/>, the narrow-band presentation's (views above it silent).</summary>
    public EpochViews CreateViews(double? bandEdge = null) => new(Views, Image.MicrovoltsPerHalfStrip, bandEdge);

    /// <summary>
    /// The model image seen as one row of cells per derivation (its views together), the grid the
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

    /// <summary>The graphs fit the card and each other.</summary>
    private static void Check(ModelCard card, EpochEncoderSession encoder, InterEpochSession sequence)
    {
        ModelImageSpec image = card.Input;
        int derivations = image.Derivations.Count;
        if (encoder.ImageHeight != image.ImageHeight || encoder.ImageWidth != image.Width)
        {
            throw new ModelFileException($"{card.Files.Encoder}: input {encoder.ImageHeight}×{encoder.ImageWidth} does not match the card's {derivations} derivation(s) × {image.StripsPerDerivation} view(s) × {image.StripHeight} rows × {image.Width} columns.");
        }

        if (encoder.Tokens != 0 && encoder.Tokens != 1 + (derivations * image.Segments))
        {
            throw new ModelFileException($"{card.Files.Encoder}: {encoder.Tokens} tokens, expected CLS + {derivations} × {image.Segments} segments.");
        }

        if (sequence.EmbeddingSize != encoder.EmbeddingSize)
        {
            throw new ModelFileException($"{card.Files.Sequence}: reads {sequence.EmbeddingSize}-byte embeddings, the encoder writes {encoder.EmbeddingSize}.");
        }
    }
}
