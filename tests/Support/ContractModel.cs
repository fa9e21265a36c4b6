using System.Security.Cryptography;

using SleepScoring.Model;

namespace SleepScoring.Tests.Support;

/// <summary>
/// Shared by the Inference and Cli tests (linked into both projects).
/// A model directory (card + contract graphs of the "small" layout: 2 bands × 32 rows × 300
/// columns, 15 segments) standing in for a trained model in plumbing tests.
/// </summary>
internal sealed class ContractModel : IDisposable
{
    public const int Segments = 15, Dim = 8, Window = 5;

    /// <summary>Creates the model; with <paramref name="views"/>, each derivation is drawn as those views (the image grows by one 32-row band per view).</summary>
    public ContractModel(IReadOnlyList<string>? views = null)
    {
        Views = views ?? [];
        Directory = System.IO.Directory.CreateTempSubdirectory("sleepscoring-model-").FullName;
        Encoder = ContractGraphs.Encoder(height: 64 * Math.Max(1, Views.Count), width: 300, dim: Dim, tokens: 1 + (2 * Segments));
        Sequence = ContractGraphs.Sequence(window: Window, dim: Dim, classes: 5);
        File.WriteAllBytes(Path.Combine(Directory, "encoder.onnx"), Encoder);
        File.WriteAllBytes(Path.Combine(Directory, "sequence.onnx"), Sequence);
        WriteCard();
    }

    /// <summary>p(W) of <see cref="ReadableImage"/>: its raw scores are 200, 10, 10, 10, 10.</summary>
    public const double ReadableProbability = 200.0 / 240;

    /// <summary>Presented probability of every stage when the scores are all zero (cell (0, 0) blanked).</summary>
    public const double BlankedProbability = 0.2;

    public string Directory { get; }

    /// <summary>The card's views (empty: the trace alone).</summary>
    public IReadOnlyList<string> Views { get; }

    /// <summary>
    /// A model image whose cell (band 0, segment 0) — the only one the contract encoder reads
    /// (row 0, columns 0–7) — makes the raw stage scores 200, 10, 10, 10, 10.
    /// </summary>
    public static byte[] ReadableImage()
    {
        byte[] image = new byte[64 * 300];
        new byte[] { 200, 10, 10, 10, 10 }.CopyTo(image, 0);
        return image;
    }

    /// <summary>A window of neighbour embeddings (the centre is replaced by the epoch's own).</summary>
    public static byte[] NeighbourWindow() => Enumerable.Repeat((byte)7, Window * Dim).ToArray();

    public byte[] Encoder { get; }

    public byte[] Sequence { get; }

    /// <summary>Writes the card.</summary>
    /// <param name="encoderDigest">Overrides the encoder's true SHA-256.</param>
    /// <param name="normalisation">The input's per-night amplitude normalisation (none by default).</param>
    /// <param name="conditioningLowPass">The conditioning low-pass the card names (none: the default 35 Hz).</param>
    /// <param name="narrowBand">The narrow band the card says the model also reads (none by default).</param>
    /// <param name="filterEdges">The sensing low-pass edges the card says the model reads narrow-band (none by default).</param>
    public void WriteCard(string? encoderDigest = null, AmplitudeNormalisation? normalisation = null, double? conditioningLowPass = null, double? narrowBand = null, IReadOnlyList<double>? filterEdges = null) => new ModelCard
    {
        Name = "contract",
        Version = "0.0.0-test",
        Input = new ModelImageSpec
        {
            Derivations = ["EEG Fpz-Cz", "EEG Pz-Oz"],
            Layout = "small",
            Width = 300,
            StripHeight = 32,
            MicrovoltsPerHalfStrip = 100,
            DrawingMode = SleepScoring.Rendering.ModelImage.TraceDrawingMode.Envelope,
            Segments = Segments,
            Views = Views,
            AmplitudeNormalisation = normalisation,
            ConditioningLowPass = conditioningLowPass,
            NarrowBand = narrowBand,
            FilterEdges = filterEdges,
        },
        Files = new ModelFiles
        {
            Encoder = "encoder.onnx",
            Sequence = "sequence.onnx",
            Sha256 = new Dictionary<string, string>
            {
                ["encoder.onnx"] = encoderDigest ?? Convert.ToHexStringLower(SHA256.HashData(Encoder)),
                ["sequence.onnx"] = Convert.ToHexStringLower(SHA256.HashData(Sequence)),
            },
        },
        ReviewThreshold = 0.3,
    }.Save(Path.Combine(Directory, ModelCard.FileName));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
