using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// Epoch embeddings of every epoch of a dataset's nights (computed once by a frozen encoder) and
/// centred windows over them. Positions outside the night read a zero embedding and carry the
/// target <see cref="SupervisedTrainer.IgnoreTarget"/>, as do unscored epochs. With a
/// <see cref="SilentDerivation"/>, every night is also embedded once per derivation drawn silent
/// (variant 1 + d), so the inter-epoch model can learn nights recorded without that derivation;
/// with a <see cref="BandDropout"/>, once more with the fast-band views of every derivation silent
/// (the last variant), as a night sampled at 50 Hz or filtered at 35 Hz draws them.
/// </summary>
public sealed class EmbeddingWindows : IDisposable
{
    private readonly Tensor table;
    private readonly int[] nightStart;
    private readonly int epochCount;
    private readonly EpochDataset dataset;

    /// <summary>
    /// Embeds every epoch of <paramref name="dataset"/> with <paramref name="encoder"/> (eval mode,
    /// no gradients); with <paramref name="silent"/>, also with each derivation silent; with
    /// <paramref name="band"/>, also with its views silent.
    /// </summary>
    public EmbeddingWindows(EpochEncoder encoder, EpochDataset dataset, int window, int batchSize = 256, SilentDerivation? silent = null, BandDropout? band = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(dataset);
        if (window < 1 || window % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be odd and positive.");
        }

        this.dataset = dataset;
        Window = window;
        Variants = 1 + (silent?.Derivations ?? 0) + (band is null ? 0 : 1);
        BandVariant = band is null ? null : Variants - 1;
        encoder.eval();
        var parts = new List<Tensor>();
        nightStart = new int[dataset.Nights.Count];
        for (int n = 0, offset = 0; n < dataset.Nights.Count; n++)
        {
            nightStart[n] = offset;
            offset += dataset.Nights[n].Count;
            epochCount = offset;
        }

        using (no_grad())
        {
            for (int variant = 0; variant < Variants; variant++)
            {
                for (int n = 0; n < dataset.Nights.Count; n++)
                {
                    int count = dataset.Nights[n].Count;
                    for (int start = 0; start < count; start += batchSize)
                    {
                        EpochRef[] batch = Enumerable.Range(start, Math.Min(batchSize, count - start)).Select(p => new EpochRef(n, p)).ToArray();
                        int derivation = variant - 1;
                        using Tensor images = variant == 0 ? dataset.Images(batch)
                            : variant == BandVariant ? Edited(dataset, batch, band!.Silence)
                            : Edited(dataset, batch, pixels => SilenceEach(pixels, silent!, derivation));
                        parts.Add(encoder.forward(images));
                    }
                }
            }

            parts.Add(zeros(1, encoder.Options.Dim));
            table = cat(parts, 0);
        }

        foreach (Tensor part in parts)
        {
            part.Dispose();
        }
    }

    /// <summary>Epochs per window.</summary>
    public int Window { get; }

    /// <summary>Embedded montages: 1 (as recorded), + one per derivation drawn silent, + one with the fast bands silent.</summary>
    public int Variants { get; }

    /// <summary>The variant with the fast-band views silent, or null when not embedded.</summary>
    public int? BandVariant { get; }

    /// <summary>The dataset whose epochs were embedded.</summary>
    public EpochDataset Dataset => dataset;

    /// <summary>Windows [N, L, Dim] centred on <paramref name="centres"/> and their targets [N, L], as recorded.</summary>
    public (Tensor Input, Tensor Target) Gather(ReadOnlySpan<EpochRef> centres) => Gather(centres, []);

    /// <summary>
    /// Windows [N, L, Dim] centred on <paramref name="centres"/> and their targets [N, L]; window i
    /// reads variant <paramref name="variants"/>[i] (0 as recorded, 1 + d with derivation d silent;
    /// all 0 when empty).
    /// </summary>
    public (Tensor Input, Tensor Target) Gather(ReadOnlySpan<EpochRef> centres, ReadOnlySpan<int> variants)
    {
        int half = Window / 2, padRow = (int)table.shape[0] - 1;
        var rows = new long[centres.Length * Window];
        var targets = new long[rows.Length];
        for (int i = 0; i < centres.Length; i++)
        {
            NightImages night = dataset.Nights[centres[i].Night];
            int variant = variants.IsEmpty ? 0 : variants[i];
            if (variant < 0 || variant >= Variants)
            {
                throw new ArgumentOutOfRangeException(nameof(variants), variant, $"Variants are 0–{Variants - 1}.");
            }

            for (int o = -half; o <= half; o++)
            {
                int p = centres[i].Position + o, k = (i * Window) + o + half;
                bool inside = p >= 0 && p < night.Count;
                rows[k] = inside ? ((long)variant * epochCount) + nightStart[centres[i].Night] + p : padRow;
                targets[k] = inside && EpochDataset.IsScored(night.Stages[p]) ? (long)night.Stages[p] : SupervisedTrainer.IgnoreTarget;
            }
        }

        using Tensor index = tensor(rows);
        Tensor input = table.index_select(0, index).view(centres.Length, Window, table.shape[1]);
        return (input, tensor(targets).view(centres.Length, Window));
    }

    /// <summary>Stage of the centre epoch of each window.</summary>
    public SleepStage CentreStage(EpochRef centre) => dataset.Stage(centre);

    /// <inheritdoc />
    public void Dispose() => table.Dispose();

    /// <summary>Edits a batch's images, one after the other in place.</summary>
    private delegate void ImagesEdit(Span<byte> images);

    /// <summary>The batch's images, copied and edited (a derivation or the fast bands drawn silent).</summary>
    private static Tensor Edited(EpochDataset dataset, ReadOnlySpan<EpochRef> batch, ImagesEdit edit)
    {
        int size = dataset.Height * dataset.Width;
        var pixels = new byte[batch.Length * size];
        for (int i = 0; i < batch.Length; i++)
        {
            dataset.Nights[batch[i].Night].Image(batch[i].Position).CopyTo(pixels.AsSpan(i * size, size));
        }

        edit(pixels);
        return tensor(pixels, [batch.Length, dataset.Height, dataset.Width]);
    }

    private static void SilenceEach(Span<byte> images, SilentDerivation silent, int derivation)
    {
        for (int at = 0; at + silent.ImageBytes <= images.Length; at += silent.ImageBytes)
        {
            silent.Silence(images.Slice(at, silent.ImageBytes), derivation);
        }
    }
}
