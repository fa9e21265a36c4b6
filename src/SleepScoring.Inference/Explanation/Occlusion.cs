using SleepScoring.Analysis.Conditioning;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Explanation;

/// <summary>
/// The faithful check of a saliency map: mask one cell (derivation × time segment) of the
/// epoch's model image with a flat trace (<see cref="FlatImage"/>), re-run the encoder and the inter-epoch model with the
/// epoch's real neighbours, and measure how much the probability of the stage falls. All cells are
/// evaluated in one encoder batch and one sequence batch.
/// </summary>
public static class Occlusion
{
    /// <summary>
    /// Drop of <paramref name="targetClass"/>'s probability per cell [derivation, segment] (negative when
    /// masking raises it). <paramref name="image"/> is the epoch's model image; <paramref name="window"/>
    /// the Window × Dim embeddings around it (its own embedding at the centre is replaced).
    /// </summary>
    public static float[,] Drops(StagingModel model, ReadOnlySpan<byte> image, ReadOnlySpan<byte> window, int targetClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        int derivations = model.Card.Input.Derivations.Count, segments = model.Card.Input.Segments;
        bool[][] masks = Enumerable.Range(0, derivations * segments).Select(c => CellMask(model, c / segments, c % segments)).ToArray();
        float[] probabilities = TargetProbabilities(model, image, window, targetClass, masks);
        var drops = new float[derivations, segments];
        for (int c = 0; c < masks.Length; c++)
        {
            drops[c / segments, c % segments] = probabilities[0] - probabilities[c + 1];
        }

        return drops;
    }

    /// <summary>
    /// The target probability of the unmasked image (index 0) and of the image with each set of
    /// cells blanked (index 1 + i): the deletion test masks several cells at once.
    /// </summary>
    public static float[] TargetProbabilities(StagingModel model, ReadOnlySpan<byte> image, ReadOnlySpan<byte> window, int targetClass, IReadOnlyList<bool[]> masks)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(masks);
        EpochEncoderSession encoder = model.Encoder;
        InterEpochSession sequence = model.Sequence;
        int size = encoder.ImageBytes, dim = encoder.EmbeddingSize, count = masks.Count + 1;
        if (image.Length != size || window.Length != sequence.Window * dim)
        {
            throw new ArgumentException($"An image of {size} bytes and a window of {sequence.Window * dim} bytes are needed; got {image.Length} and {window.Length}.", nameof(image));
        }

        byte[] flat = FlatImage(model);
        byte[] images = new byte[count * size];
        for (int i = 0; i < count; i++)
        {
            Span<byte> target = images.AsSpan(i * size, size);
            image.CopyTo(target);
            for (int p = 0; i > 0 && p < size; p++)
            {
                if (masks[i - 1][p])
                {
                    target[p] = flat[p];
                }
            }
        }

        byte[] embeddings = new byte[count * dim];
        encoder.Encode(images, count, embeddings, withAttention: false);
        int windowBytes = sequence.Window * dim, centre = sequence.Window / 2;
        byte[] windows = new byte[count * windowBytes];
        for (int i = 0; i < count; i++)
        {
            window.CopyTo(windows.AsSpan(i * windowBytes, windowBytes));
            embeddings.AsSpan(i * dim, dim).CopyTo(windows.AsSpan((i * windowBytes) + (centre * dim), dim));
        }

        int[] raw = new int[count * sequence.Classes];
        sequence.StageWindows(windows, count, raw);
        return Enumerable.Range(0, count).Select(i => StageProbabilities.Normalise(raw.AsSpan(i * sequence.Classes, sequence.Classes))[targetClass]).ToArray();
    }

    /// <summary>
    /// What a masked cell shows: the model image of a flat (0 µV) epoch, i.e. the trace a silent
    /// signal draws. Masking with it keeps the image one the renderer could produce, so the test
    /// measures the loss of the cell's information rather than the model's surprise at an empty,
    /// trace-less patch it never saw in training.
    /// </summary>
    public static byte[] FlatImage(StagingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        IEpochImageRenderer renderer = model.CreateRenderer();
        try
        {
            byte[] image = new byte[model.Encoder.ImageBytes];
            renderer.Render(new float[renderer.Geometry.DerivationCount * ConditionedEpoch.Samples], image);
            return image;
        }
        finally
        {
            (renderer as IDisposable)?.Dispose();
        }
    }

    /// <summary>The model-image pixels whose centres fall in cell (derivation, segment).</summary>
    public static bool[] CellMask(StagingModel model, int derivation, int segment)
    {
        ArgumentNullException.ThrowIfNull(model);
        EpochGeometry geometry = model.CellGeometry;
        PixelRectangle cell = geometry.SaliencyCell(derivation, segment, model.Card.Input.Segments);
        var mask = new bool[geometry.PlotWidth * geometry.PlotHeight];
        for (int row = 0; row < geometry.PlotHeight; row++)
        {
            for (int column = 0; column < geometry.PlotWidth; column++)
            {
                mask[(row * geometry.PlotWidth) + column] = cell.Contains(geometry.Left + column + 0.5f, geometry.Top + row + 0.5f);
            }
        }

        return mask;
    }
}
